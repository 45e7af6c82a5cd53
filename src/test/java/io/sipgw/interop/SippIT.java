package io.sipgw.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.Sipp;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real SIP phone on the other side: SIPp (scenarios in src/test/sipp) registers as the plain phone user
 * {@code phone} at the SIP server under test (the embedded one by default, Kamailio in the kamailio
 * profile) and exchanges messages and calls with gateway users, who act through the REST API and the
 * WebSocket. Each test checks both sides: SIPp's exit code (every expected message came, in order) and
 * its trace, and the gateway user's events.
 */
@RunAsClient
class SippIT extends GatewayIT {

    private static final Duration SIPP = Duration.ofSeconds(40);

    /**
     * The API client's audio offer and answer: plain RTP/AVP like the phone's, since without a media relay
     * a browser's WebRTC SDP and a plain phone cannot meet (the gateway refuses that pairing: README
     * "Media relay"); the signalling these scenarios prove is the same.
     */
    private static final String CLIENT_OFFER = String.join("\r\n",
            "v=0", "o=- 8017368240150325471 2 IN IP4 127.0.0.1", "s=-", "c=IN IP4 127.0.0.1", "t=0 0",
            "m=audio 41000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=sendrecv", "");
    private static final String CLIENT_ANSWER = CLIENT_OFFER.replace("8017368240150325471", "42");

    private Sipp phone;

    @BeforeEach
    void registerThePhone() {
        phone = new Sipp("phone", sipServerPort);
        phone.register(120);
    }

    @AfterEach
    void unregisterThePhone() {
        phone.register(0);
    }

    @Test
    void phoneSendsMessageThatTheGatewayUserGetsOnTheWebSocket() {
        String user = api.login(uri("u1"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            String text = "hello from a SIPp phone " + UUID.randomUUID();
            phone.start("uac-message.xml", "-s", "u1", "-key", "text", text).assertSucceeded(SIPP);

            JsonObject received = socket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").strip().equals(text), WAIT)
                    .getJsonObject("data");
            assertEquals(phone.aor(), received.getString("from"));
            assertEquals("phone@127.0.0.1-u1@127.0.0.1", received.getString("sessionId"));
            var history = api.get("/api/messages/sessions/phone@127.0.0.1-u1@127.0.0.1", user).data();
            assertEquals(1, history.getInt("totalMessages"), history.toString());
        }
    }

    @Test
    void phoneReceivesMessageSentThroughTheRestApi() {
        String user = api.login(uri("u2"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            Sipp.Run inbox = phone.start("uas-message.xml");
            String text = "hello from the REST API " + UUID.randomUUID();
            Api.Result sent = api.post("/api/messages", Json.createObjectBuilder().add("to", uri("phone")).add("type", "TEXT")
                    .add("content", text).build().toString(), user);
            try {
                assertEquals(200, sent.status(), sent.body());
                inbox.assertSucceeded(SIPP);
            } finally {
                inbox.kill();
            }
            String trace = inbox.messages();
            assertTrue(trace.contains("MESSAGE sip:"), trace);
            assertTrue(trace.contains(text), trace);
            assertTrue(trace.contains("From: <sip:u2@127.0.0.1>"), trace);
            String messageId = sent.data().getString("messageId");
            JsonObject delivered = socket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT);
            assertEquals("DELIVERED", delivered.getJsonObject("data").getString("newStatus"));
        }
    }

    @Test
    void phoneCallsGatewayUserWhoAnswersAndThePhoneHangsUp() {
        String user = api.login(uri("u3"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            Sipp.Run call = phone.start("uac-call-phone-hangs-up.xml", "-s", "u3");
            try {
                String callId = answerIncomingCall(socket, user);
                JsonObject candidate = socket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT).getJsonObject("data").getJsonObject("candidate");
                assertEquals("candidate:9 1 UDP 2130706431 127.0.0.1 40000 typ host", candidate.getString("candidate"));
                JsonObject ended = awaitState(socket, callId, "ENDED");
                assertEquals("ACTIVE", ended.getString("oldState"));
                call.assertSucceeded(SIPP);
            } finally {
                call.kill();
            }
        }
    }

    @Test
    void phoneCallsGatewayUserWhoAnswersAndHangsUp() {
        String user = api.login(uri("u4"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            Sipp.Run call = phone.start("uac-call-gateway-hangs-up.xml", "-s", "u4");
            try {
                String callId = answerIncomingCall(socket, user);
                // the phone's INFO is answered before the candidate is pushed; hang up only after it
                socket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT);
                Api.Result hungUp = api.delete("/api/calls/" + callId, user);
                assertEquals(200, hungUp.status(), hungUp.body());
                assertEquals("ENDED", hungUp.data().getString("state"));
                call.assertSucceeded(SIPP);
            } finally {
                call.kill();
            }
        }
    }

    @Test
    void phoneAnswersCallPlacedThroughTheRestApiAndTheUserHangsUp() {
        String user = api.login(uri("u5"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            Sipp.Run answering = phone.start("uas-call-gateway-hangs-up.xml");
            try {
                String callId = placeCallToThePhone(socket, user);
                socket.send(Json.createObjectBuilder().add("type", "ICE_CANDIDATE").add("data", Json.createObjectBuilder()
                        .add("callId", callId).add("candidate", Json.createObjectBuilder()
                                .add("candidate", "candidate:5 1 UDP 2130706431 127.0.0.1 50005 typ host").add("sdpMLineIndex", 0).add("sdpMid", "0")))
                        .build().toString());
                answering.awaitTrace("a=candidate:5 1 UDP 2130706431 127.0.0.1 50005 typ host", WAIT);
                Api.Result hungUp = api.delete("/api/calls/" + callId, user);
                assertEquals(200, hungUp.status(), hungUp.body());
                assertEquals("ENDED", hungUp.data().getString("state"));
                answering.assertSucceeded(SIPP);
            } finally {
                answering.kill();
            }
            String trace = answering.messages();
            assertTrue(trace.contains("Content-Type: application/trickle-ice-sdpfrag"), "the candidate came in a trickle ICE INFO:\n" + trace);
            assertTrue(trace.contains("BYE sip:"), trace);
        }
    }

    @Test
    void phoneAnswersCallPlacedThroughTheRestApiAndHangsUp() {
        String user = api.login(uri("u6"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            Sipp.Run answering = phone.start("uas-call-phone-hangs-up.xml");
            try {
                String callId = placeCallToThePhone(socket, user);
                JsonObject ended = awaitState(socket, callId, "ENDED");
                assertEquals("ACTIVE", ended.getString("oldState"));
                answering.assertSucceeded(SIPP);
            } finally {
                answering.kill();
            }
            assertEquals("ENDED", api.get("/api/calls/" + callIdOfLastCall(user), user).data().getString("state"));
        }
    }

    /** Waits for the phone's INVITE on the socket, answers it through the REST API (ACK received); the call's id. */
    private String answerIncomingCall(EventSocket socket, String user) {
        JsonObject incoming = socket.await("INCOMING_CALL", Duration.ofSeconds(20)).getJsonObject("data");
        assertEquals(phone.aor(), incoming.getString("from"));
        assertTrue(incoming.getString("sdp").contains("m=audio 40000 RTP/AVP 0 8"), incoming.getString("sdp"));
        String callId = incoming.getString("callId");
        Api.Result answered = api.put("/api/calls/" + callId + "/answer",
                Json.createObjectBuilder().add("sdp", CLIENT_ANSWER).build().toString(), user);
        assertEquals(200, answered.status(), answered.body());
        // the answer request waits for the phone's ACK; the phone's INFO may overtake the ACTIVE event
        assertEquals("ACTIVE", answered.data().getString("state"), answered.body());
        return callId;
    }

    /** Calls the phone through the REST API and waits until it answered; the call's id. */
    private String placeCallToThePhone(EventSocket socket, String user) {
        Api.Result placed = api.post("/api/calls", Json.createObjectBuilder().add("to", uri("phone")).add("type", "AUDIO")
                .add("sdp", CLIENT_OFFER).build().toString(), user);
        assertEquals(200, placed.status(), placed.body());
        String callId = placed.data().getString("callId");
        if (!placed.data().getString("state").equals("ACTIVE")) {
            JsonObject active = awaitState(socket, callId, "ACTIVE");
            assertTrue(active.getString("sdp").contains("m=audio 40002 RTP/AVP 0"), "the caller gets the phone's answer: " + active);
        }
        return callId;
    }

    private JsonObject awaitState(EventSocket socket, String callId, String state) {
        return socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId) && f.getJsonObject("data").getString("newState").equals(state),
                Duration.ofSeconds(20)).getJsonObject("data");
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return callId.equals(frame.getJsonObject("data").getString("callId", null));
    }

    private String callIdOfLastCall(String user) {
        return api.get("/api/calls/history?size=1", user).data().getJsonArray("content").getJsonObject(0).getString("callId");
    }
}
