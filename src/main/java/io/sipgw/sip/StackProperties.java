package io.sipgw.sip;

import java.util.Properties;

/**
 * The JAIN-SIP stack properties every sipgw stack starts from (the gateway's user agent and the embedded
 * SIP server alike): a production-tested baseline plus logging through {@link JulStackLogger}, so no
 * log4j class is ever loaded.
 */
public final class StackProperties {

    /** Largest SIP message accepted over a stream transport; bigger ones close the connection. */
    public static final int MAX_MESSAGE_SIZE = 65_536;

    private StackProperties() {
    }

    /**
     * The baseline for one stack.
     *
     * @param uniqueStackName a name no other stack in this JVM uses: JAIN-SIP's {@code SipFactory} caches
     *                        stacks by name and would hand back a stopped one
     */
    public static Properties baseline(String uniqueStackName) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", uniqueStackName);
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", JulStackLogger.class.getName());
        // dialogs are created and tracked explicitly where they exist (user agent); a proxy has none
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "64");
        // the listener is called from several threads at once: listeners must be thread-safe
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.AGGRESSIVE_CLEANUP", "true");
        // The NIO message processor factory is left out on purpose: in jain-sip-ri 1.3.0-91 the first request
        // over a new outgoing NIO TCP connection is lost (RestComm/jain-sip#188, usnistgov/jsip#77), so a
        // proxied request to a TCP contact or an over-MTU request would time out. The default (blocking)
        // TCP processor uses a thread per connection, which is fine at this scale.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_SIZE));
        // in-dialog NOTIFYs whose SUBSCRIBE the stack has not seen (proxied, or after a restart) still arrive
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        return p;
    }
}
