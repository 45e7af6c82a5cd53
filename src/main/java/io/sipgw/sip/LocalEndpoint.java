package io.sipgw.sip;

import javax.sip.SipProvider;

/**
 * A local SIP address (a listening point of the gateway's user agent) that a new registration goes
 * through. Capabilities choose it ({@link SipUserAgent#defaultEndpoint}, {@link SipUserAgent#endpointFor})
 * and hand it to {@link Registrations#register} without seeing the stack's provider behind it.
 */
public final class LocalEndpoint {

    private final SipProvider provider;

    LocalEndpoint(SipProvider provider) {
        this.provider = provider;
    }

    SipProvider provider() {
        return provider;
    }
}
