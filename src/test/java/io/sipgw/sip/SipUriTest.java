package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SipUriTest {

    @Test
    void fullUriGivesUserHostPortAndUserId() {
        SipUri uri = SipUri.parse("sip:alice@192.0.2.10:5060");
        assertEquals("alice", uri.user());
        assertEquals("192.0.2.10", uri.host());
        assertEquals(5060, uri.port());
        assertEquals("alice@192.0.2.10", uri.userId());
        assertEquals("sip:alice@192.0.2.10", uri.addressOfRecord());
        assertEquals("sip:alice@192.0.2.10:5060", uri.toString());
    }

    @Test
    void missingPortMeans5060ForTheServer() {
        SipUri uri = SipUri.parse("sip:bob@example.com");
        assertEquals(-1, uri.port());
        assertEquals(5060, uri.serverPort());
        assertEquals("sip:bob@example.com", uri.toString());
    }

    @Test
    void hostIsCaseInsensitiveAndParametersAreIgnored() {
        SipUri uri = SipUri.parse("SIP:carol@PBX.Example.COM:5080;transport=tcp");
        assertEquals("pbx.example.com", uri.host());
        assertEquals(5080, uri.port());
        assertEquals("carol@pbx.example.com", uri.userId());
    }

    @Test
    void ipv6LiteralIsAccepted() {
        SipUri uri = SipUri.parse("sip:dave@[::1]:5062");
        assertEquals("[::1]", uri.host());
        assertEquals(5062, uri.port());
    }

    @Test
    void userIdParsesToo() {
        assertEquals("alice@127.0.0.1", SipUri.parseUserId("alice@127.0.0.1").userId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice@127.0.0.1", "sip:@127.0.0.1", "sip:alice@", "sip:alice@127.0.0.1:0",
            "sip:alice@127.0.0.1:65536", "sip:alice@127.0.0.1:abc", "tel:+15550100", "sips:alice@127.0.0.1",
            "sip:al ice@127.0.0.1", "sip:alice@host name"})
    void malformedUrisAreRejectedWithAReason(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SipUri.parse(text));
        assertEquals(false, e.getMessage().isBlank());
    }

    @Test
    void nullIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SipUri.parse(null));
    }
}
