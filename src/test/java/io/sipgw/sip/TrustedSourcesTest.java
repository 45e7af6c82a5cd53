package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which packet sources may send a logged-in user out-of-dialog requests. */
class TrustedSourcesTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void theUsersSipServerIsTrusted() throws Exception {
        assertTrue(TrustedSources.allows(ip("127.0.0.1"), "127.0.0.1", List.of()));
    }

    @Test
    void anotherAddressIsNotTrustedEvenOnTheSameMachine() throws Exception {
        assertFalse(TrustedSources.allows(ip("127.0.0.2"), "127.0.0.1", List.of()));
    }

    @Test
    void aConfiguredHopIsTrusted() throws Exception {
        assertTrue(TrustedSources.allows(ip("127.0.0.3"), "127.0.0.1", List.of("127.0.0.2", "127.0.0.3")));
    }

    @Test
    void bracketedIpv6HopsMatch() throws Exception {
        assertTrue(TrustedSources.allows(ip("::1"), "[::1]", List.of()));
        assertTrue(TrustedSources.allows(ip("::1"), "127.0.0.1", List.of("[::1]")));
    }

    @Test
    void anUnknownSourceOrAnUnresolvableHopTrustsNobody() throws Exception {
        assertFalse(TrustedSources.allows(null, "127.0.0.1", List.of()));
        assertFalse(TrustedSources.allows(ip("127.0.0.1"), "no-such-host.invalid", List.of("", " ")));
    }

    @Test
    void theEmbeddedServerIsTrustedWhenEnabledAtItsAddressOrAtTheUserAgentsWhenItListensEverywhere() {
        assertEquals(List.of("10.0.0.5", "127.0.0.1"), TrustedSources.alwaysTrusted(List.of(" 10.0.0.5 ", ""), true, "127.0.0.1", "127.0.0.9"));
        assertEquals(List.of("127.0.0.9"), TrustedSources.alwaysTrusted(List.of(), true, "0.0.0.0", "127.0.0.9"));
        assertEquals(List.of(), TrustedSources.alwaysTrusted(List.of(), false, "127.0.0.1", "127.0.0.9"));
    }
}
