package io.sipgw.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.calls.SdpTest;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The WAR on Payara Server 6 (not Micro): {@code mvn verify -Ppayara-server} unpacks the server, and
 * {@code server-config/payara-server/deploy.sh} (the README's Payara Server deployment) creates a domain on
 * reserved loopback ports, configures it and deploys the WAR before this suite runs; the domain is stopped and
 * deleted after it. No Arquillian: the server is the one the script made, reached on {@code it.http.port}.
 * One user journey over real HTTP, WebSocket and SIP (the embedded SIP server of the deployed WAR): login,
 * a message with its events and history (the database), a call placed, rung, answered and hung up, logout.
 */
@Tag("payara-server")
class PayaraServerSmokeIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String ANSWER = SdpTest.CHROME_OFFER.replace("4611731400430051336", "777")
            .replace("a=setup:actpass", "a=setup:active");

    private final Api api = Api.forTestServer();
    private final int registrarPort = Integer.getInteger("it.registrar.port");

    private String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + registrarPort;
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return frame.getJsonObject("data").getString("callId").equals(callId);
    }

    @Test
    void loginMessageCallAndLogoutWorkOnPayaraServer() {
        String alice = api.login(uri("alice"));
        String bob = api.login(uri("bob"));
        try (EventSocket aliceSocket = EventSocket.open(api, alice); EventSocket bobSocket = EventSocket.open(api, bob)) {
            // a message, its events on both sides, and the history read back from the database
            String text = "hello from Payara Server " + UUID.randomUUID();
            Api.Result sent = api.post("/api/messages", Json.createObjectBuilder().add("to", uri("bob")).add("type", "TEXT")
                    .add("content", text).build().toString(), alice);
            assertEquals(200, sent.status(), sent.body());
            String messageId = sent.data().getString("messageId");
            JsonObject received = bobSocket.await("MESSAGE_RECEIVED",
                    f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT).getJsonObject("data");
            assertEquals(text, received.getString("content"));
            assertEquals("sip:alice@127.0.0.1", received.getString("from"));
            JsonObject delivered = aliceSocket.await("MESSAGE_STATUS_UPDATED",
                    f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT).getJsonObject("data");
            assertEquals("DELIVERED", delivered.getString("newStatus"));
            Api.Result history = api.get("/api/messages/sessions/alice@127.0.0.1-bob@127.0.0.1?size=50", bob);
            assertEquals(200, history.status(), history.body());
            assertTrue(history.data().getJsonArray("messages").stream()
                    .anyMatch(m -> m.asJsonObject().getString("messageId").equals(messageId)), history.body());

            // a call: placed, INCOMING_CALL on the callee's socket, answered, ACTIVE for both, hung up
            Api.Result placed = api.post("/api/calls", Json.createObjectBuilder().add("to", uri("bob")).add("type", "AUDIO")
                    .add("sdp", SdpTest.CHROME_OFFER).build().toString(), alice);
            assertEquals(200, placed.status(), placed.body());
            String callId = placed.data().getString("callId");
            assertEquals("RINGING", placed.data().getString("state"));
            JsonObject incoming = bobSocket.await("INCOMING_CALL", WAIT).getJsonObject("data");
            assertEquals("sip:alice@127.0.0.1", incoming.getString("from"));
            String bobCallId = incoming.getString("callId");
            Api.Result answered = api.put("/api/calls/" + bobCallId + "/answer",
                    Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), bob);
            assertEquals(200, answered.status(), answered.body());
            JsonObject active = aliceSocket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", active.getString("newState"));
            assertTrue(active.getString("sdp").contains("a=setup:active"), "the caller gets the answer SDP");
            bobSocket.await("CALL_STATE_CHANGED", f -> isCall(f, bobCallId)
                    && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
            Api.Result hungUp = api.delete("/api/calls/" + callId, alice);
            assertEquals(200, hungUp.status(), hungUp.body());
            assertEquals("ENDED", hungUp.data().getString("state"));
            bobSocket.await("CALL_STATE_CHANGED", f -> isCall(f, bobCallId)
                    && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);
        }

        // logout: the token is refused afterwards
        for (String token : new String[] {alice, bob}) {
            Api.Result out = api.post("/api/auth/logout", null, token);
            assertEquals(200, out.status(), out.body());
            Api.Result reuse = api.get("/api/auth/profile", token);
            assertEquals(401, reuse.status(), reuse.body());
            assertEquals("INVALID_TOKEN", reuse.errorCode());
        }
    }
}
