package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void uriOver255CharactersIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SipUri.parse("sip:bob@" + "h".repeat(60) + "." + "o".repeat(60) + "." + "s".repeat(60) + "." + "t".repeat(60) + ".example.com"));
        assertEquals("at most 255 characters", e.getMessage());
    }

    @Test
    void longHostLabelIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SipUri.parse("sip:bob@" + "h".repeat(100) + ".com"));
        assertEquals("a host name label has at most 63 characters", e.getMessage());
    }

    @Test
    void longUserPartIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SipUri.parse("sip:" + "u".repeat(65) + "@127.0.0.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:bob@127.0.0.1\r\nX-Injected: 1", "sip:bob@127.0.0.1;x=\u0000", "sip:bob@127.0.0.1;transport=udp\u0001"})
    void controlCharactersAnywhereAreRejected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SipUri.parse(text));
        assertTrue(e.getMessage().contains("control characters"), e.getMessage());
    }

    @Test
    void nullIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SipUri.parse(null));
    }
}
