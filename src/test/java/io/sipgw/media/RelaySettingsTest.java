package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RelaySettingsTest {

    @Test
    void noneNeedsNoAddress() {
        RelaySettings settings = RelaySettings.of("none", "not an address", 1000, 2);
        assertEquals(RelaySettings.Kind.NONE, settings.kind());
        assertNull(settings.ng());
        assertEquals(RelaySettings.Kind.NONE, RelaySettings.of("", null, 1000, 2).kind());
    }

    @Test
    void rtpengineWithItsNgAddressTimeoutAndRetries() {
        RelaySettings settings = RelaySettings.of(" RTPengine ", "127.0.0.1:22222", 500, 3);
        assertEquals(RelaySettings.Kind.RTPENGINE, settings.kind());
        assertEquals(new InetSocketAddress("127.0.0.1", 22222), settings.ng());
        assertEquals(Duration.ofMillis(500), settings.timeout());
        assertEquals(3, settings.retries());
        assertEquals(new InetSocketAddress("::1", 2223), RelaySettings.of("rtpengine", "[::1]:2223", 500, 3).ng());
    }

    @Test
    void badSettingsAreNamed() {
        assertEquals("sipgw.media.relay must be none or rtpengine, not 'rtpproxy'",
                assertThrows(IllegalArgumentException.class,
                        () -> RelaySettings.of("rtpproxy", "127.0.0.1:1", 1000, 2)).getMessage());
        for (String ng : new String[] {"127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":22222", "::1:22222",
            "127.0.0.1:x", "", "[::1]"}) {
            assertEquals("sipgw.media.rtpengine.ng must be host:port (e.g. 127.0.0.1:22222), not '" + ng + "'",
                    assertThrows(IllegalArgumentException.class,
                            () -> RelaySettings.of("rtpengine", ng, 1000, 2), ng).getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.of("rtpengine", "127.0.0.1:1", 0, 2));
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.of("rtpengine", "127.0.0.1:1", 60_001, 2));
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.of("rtpengine", "127.0.0.1:1", 1000, -1));
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.of("rtpengine", "127.0.0.1:1", 1000, 11));
    }
}
