package io.sipgw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SipSettingsTest {

    private static final Instant NOW = Instant.parse("2025-11-15T10:00:00Z");

    @Test
    void validSettingsAreStoredNormalised() {
        SipSettings s = SipSettings.empty();
        s.update(" pbx.example.com:5060 ", "tcp", 600, "[::1]:5070", "stun.example.com:3478", "turns:relay.example.com:5349?transport=tcp", NOW);
        assertEquals("pbx.example.com:5060", s.sipServer());
        assertEquals("TCP", s.transport());
        assertEquals(600, s.expires());
        assertEquals("[::1]:5070", s.outboundProxy());
        assertEquals("stun.example.com:3478", s.stunServer());
        assertEquals("turns:relay.example.com:5349?transport=tcp", s.turnServer());
        assertEquals(NOW, s.updatedAt());
    }

    @Test
    void leftOutKeepsAndEmptyUnsets() {
        SipSettings s = SipSettings.empty();
        s.update("192.0.2.1:5060", "UDP", 3600, null, "stun:192.0.2.2:3478", null, NOW);
        s.update(null, null, null, null, "", null, NOW);
        assertEquals("192.0.2.1:5060", s.sipServer());
        assertEquals("UDP", s.transport());
        assertEquals(3600, s.expires());
        assertNull(s.stunServer());
    }

    @Test
    void everyInvalidFieldIsReportedAndNothingChanges() {
        SipSettings s = SipSettings.empty();
        s.update("a.example:5060", null, 60, null, null, null, NOW);
        ApiException e = assertThrows(ApiException.class, () -> s.update("host:0", "WS", 59, "host", "turn:x:1", "stun:y:1", NOW));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
        assertEquals(Set.of("sipServer", "transport", "expires", "outboundProxy", "stunServer", "turnServer"), e.details().keySet());
        assertEquals("a.example:5060", s.sipServer());
        assertEquals(60, s.expires());
        assertThrows(ApiException.class, () -> s.update("h:65536", null, null, null, null, null, NOW));
        assertThrows(ApiException.class, () -> s.update(null, null, 86_401, null, null, null, NOW));
        s.update("h:65535", "tls", 86_400, null, null, null, NOW);
        assertEquals("TLS", s.transport());
    }
}
