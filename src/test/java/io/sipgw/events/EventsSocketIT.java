package io.sipgw.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.ServerTokens;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket event channel: handshake token rules, PING/PONG, bad frames, several sockets, logout, the
 * cap on sockets per user and the close at the token's expiry.
 */
@RunAsClient
class EventsSocketIT extends GatewayIT {

    @Test
    void badTokensNeverGetAnOpenSocket() {
        for (String query : new String[] {"", "?token=", "?token=garbage", "?token=a.b.c"}) {
            try (EventSocket socket = EventSocket.openRaw(api, query)) {
                EventSocket.Closed closed = socket.awaitClose(WAIT);
                assertEquals(1008, closed.code(), query);
                assertEquals("INVALID_TOKEN", closed.reason(), query);
            }
        }
    }

    @Test
    void pingGetsPongAndBadFramesGetErrorsWithoutClosing() {
        String token = api.login(uri("t10"));
        try (EventSocket socket = EventSocket.open(api, token)) {
            socket.send("{\"type\":\"PING\",\"timestamp\":\"2025-11-15T10:45:00Z\"}");
            JsonObject pong = socket.await("PONG", WAIT);
            assertNotNull(pong.getString("timestamp"));

            socket.send("this is not json");
            JsonObject error = socket.await("ERROR", WAIT);
            assertEquals("VALIDATION_ERROR", error.getJsonObject("error").getString("code"));
            socket.send("{\"type\":\"DANCE\"}");
            assertEquals("VALIDATION_ERROR", socket.await("ERROR", WAIT).getJsonObject("error").getString("code"));

            socket.send("{\"type\":\"PING\"}");
            socket.await("PONG", WAIT);
            assertFalse(socket.isClosed());
        }
    }

    @Test
    void oversizedFrameClosesTheSocket() {
        String token = api.login(uri("t10"));
        try (EventSocket socket = EventSocket.open(api, token)) {
            socket.send("{\"type\":\"PING\",\"pad\":\"" + "x".repeat(EventsSocket.MAX_FRAME_BYTES + 10) + "\"}");
            assertEquals(1009, socket.awaitClose(WAIT).code());
        }
    }

    @Test
    void everySocketOfAUserGetsTheEventAndLogoutClosesItsSockets() {
        String receiver = api.login(uri("t11"));
        String otherTab = api.login(uri("t11"));
        String sender = api.login(uri("t12"));
        try (EventSocket tab1 = EventSocket.open(api, receiver); EventSocket tab2 = EventSocket.open(api, otherTab)) {
            String text = "to both tabs " + UUID.randomUUID();
            Api.Result sent = api.post("/api/messages", "{\"to\":\"" + uri("t11") + "\",\"type\":\"TEXT\",\"content\":\"" + text + "\"}", sender);
            assertEquals(200, sent.status(), sent.body());
            tab1.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(text), WAIT);
            tab2.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals(text), WAIT);

            assertEquals(200, api.post("/api/auth/logout", null, receiver).status());
            assertEquals(1000, tab1.awaitClose(WAIT).code());
            tab2.send("{\"type\":\"PING\"}");
            tab2.await("PONG", WAIT);
            assertFalse(tab2.isClosed(), "the other tab's token is still logged in");
        }
        try (EventSocket revoked = EventSocket.openRaw(api, "?token=" + receiver)) {
            assertEquals(1008, revoked.awaitClose(WAIT).code());
        }
    }

    @Test
    void socketsBeyondTheCapPerUserAreClosedWithTooManySockets() {
        String token = api.login(uri("t13"));
        List<EventSocket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) { // sipgw.ws.max-sockets-per-user
                open.add(EventSocket.open(api, token));
            }
            try (EventSocket oneTooMany = EventSocket.openRaw(api, "?token=" + token)) {
                EventSocket.Closed closed = oneTooMany.awaitClose(WAIT);
                assertEquals(1008, closed.code());
                assertEquals("TOO_MANY_SOCKETS", closed.reason());
            }
            EventSocket first = open.remove(0);
            first.close();
            first.awaitClose(WAIT);
            try (EventSocket again = EventSocket.open(api, token)) { // a closed socket frees its place
                again.send("{\"type\":\"PING\"}");
                again.await("PONG", WAIT);
            }
        } finally {
            open.forEach(EventSocket::close);
        }
    }

    @Test
    void socketIsClosedWithTokenExpiredWhenItsTokenExpires() {
        api.login(uri("t14")); // the server has its signing key by now
        String shortLived = ServerTokens.sign("t14@127.0.0.1", Instant.now().plusSeconds(3));
        try (EventSocket socket = EventSocket.open(api, shortLived)) {
            EventSocket.Closed closed = socket.awaitClose(WAIT.plus(Duration.ofSeconds(3)));
            assertEquals(4001, closed.code());
            assertEquals("TOKEN_EXPIRED", closed.reason());
        }
    }

    @Test
    void frameNestedTenThousandLevelsDeepGetsAnErrorFrameAndTheSocketStays() {
        String token = api.login(uri("t15"));
        try (EventSocket socket = EventSocket.open(api, token)) {
            socket.send("{\"type\":\"PING\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}");
            assertEquals("VALIDATION_ERROR", socket.await("ERROR", WAIT).getJsonObject("error").getString("code"));
            socket.send("{\"type\":\"PING\"}");
            socket.await("PONG", WAIT);
            assertFalse(socket.isClosed());
        }
    }
}
