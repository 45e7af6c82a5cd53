package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.sip.SipFactory;
import org.junit.jupiter.api.Test;

/** The Reason header (RFC 3326) a reject carries: the user's text stays inside its quoted string. */
class ReasonHeaderTest {

    private final RequestBuilder builder;

    ReasonHeaderTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        builder = new RequestBuilder(factory, "udp", null);
    }

    @Test
    void plainTextIsQuoted() throws Exception {
        assertEquals("Reason: SIP;cause=603;text=\"在开会\"", builder.reasonHeader(603, "在开会").toString().trim());
    }

    @Test
    void quotesAndBackslashesCannotEndTheQuotedString() throws Exception {
        assertEquals("Reason: SIP;cause=603;text=\"a\\\" ;cause=200;x=\\\\\"",
                builder.reasonHeader(603, "a\" ;cause=200;x=\\").toString().trim());
    }

    @Test
    void controlCharactersNeverReachTheHeader() throws Exception {
        assertEquals("Reason: SIP;cause=603;text=\"busyX-Injected: 1\"",
                builder.reasonHeader(603, "busy\r\nX-Injected: 1").toString().trim());
    }
}
