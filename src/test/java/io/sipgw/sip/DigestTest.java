package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DigestTest {

    @Test
    void md5HexIsLowercaseHex() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", Digest.md5Hex(""));
    }

    @Test
    void rfc2617ExampleGivesTheDocumentedResponse() {
        // RFC 2617 section 3.5
        String ha1 = Digest.ha1("Mufasa", "testrealm@host.com", "Circle Of Life");
        String response = Digest.response(ha1, "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                "00000001", "0a4f113b", "auth");
        assertEquals("6629fae49393a05397450978507c4ef1", response);
    }

    @Test
    void withoutQopTheRfc2069FormIsUsed() {
        String ha1 = Digest.ha1("alice", "127.0.0.1", "secret123");
        String ha2 = Digest.md5Hex("REGISTER:sip:127.0.0.1");
        String expected = Digest.md5Hex(ha1 + ":abc:" + ha2);
        assertEquals(expected, Digest.response(ha1, "REGISTER", "sip:127.0.0.1", "abc", null, null, null));
        assertEquals(expected, Digest.response(ha1, "REGISTER", "sip:127.0.0.1", "abc", "00000001", "xyz", ""));
    }

    @Test
    void ha1OfTheDemoAccountMatchesTheShellRecipe() {
        // printf 'alice:127.0.0.1:secret123' | md5sum
        assertEquals("86a24005bec3a363f936d4e49eee2d51", Digest.ha1("alice", "127.0.0.1", "secret123"));
    }

    @Test
    void qopOtherThanAuthIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Digest.response("h", "REGISTER", "sip:x", "n", "00000001", "c", "auth-int"));
    }

    @Test
    void matchesIgnoresCaseAndRejectsOtherDigests() {
        String digest = Digest.md5Hex("x");
        assertTrue(Digest.matches(digest, digest.toUpperCase()));
        assertFalse(Digest.matches(digest, Digest.md5Hex("y")));
        assertFalse(Digest.matches(digest, null));
    }

    @Test
    void cnoncesAreFreshEachTime() {
        assertNotEquals(Digest.newCnonce(), Digest.newCnonce());
        assertTrue(Digest.newCnonce().matches("[0-9a-f]{16}"));
    }
}
