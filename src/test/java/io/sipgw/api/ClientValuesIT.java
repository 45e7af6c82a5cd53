package io.sipgw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.calls.SdpTest;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Values from REST bodies and WebSocket frames never change SIP or SDP framing and never fail an insert:
 * control characters (CR, LF, NUL, ...) and values longer than what is stored or sensible are refused with
 * 400 in the spec's envelope (an ERROR frame over the socket), never a 500.
 */
@RunAsClient
class ClientValuesIT extends GatewayIT {

    /** A host name of 241 characters in labels of at most 63: within the URI bound, so the host is what is long. */
    private static final String LONG_HOST = String.join(".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60));

    @AfterAll
    static void noCallLegOrSipDialogIsLeftBehind() throws InterruptedException {
        var left = Api.forTestServer().gaugesSettled(Duration.ofSeconds(60), "sipgw_calls_live", "sipgw_sip_dialogs");
        assertEquals(0.0, left.get("sipgw_calls_live").doubleValue(), "call legs left");
        assertEquals(0.0, left.get("sipgw_sip_dialogs").doubleValue(), "SIP dialogs left");
    }

    private Api.Result message(String token, String to) {
        return api.post("/api/messages", Json.createObjectBuilder().add("to", to).add("type", "TEXT").add("content", "hi")
                .build().toString(), token);
    }

    private Api.Result call(String token, String to, String sdp) {
        return api.post("/api/calls", Json.createObjectBuilder().add("to", to).add("type", "AUDIO").add("sdp", sdp)
                .build().toString(), token);
    }

    private static void assertValidationError(Api.Result result, String field) {
        assertEquals(400, result.status(), result.body());
        assertEquals("VALIDATION_ERROR", result.errorCode(), result.body());
        assertTrue(result.json().getJsonObject("error").getJsonObject("details").containsKey(field), result.body());
    }

    @Test
    void messageToOver255CharactersIs400() {
        String token = api.login(uri("t17"));
        assertValidationError(message(token, "sip:" + "u".repeat(40) + "@" + LONG_HOST + ".example.com"), "to");
        assertValidationError(message(token, "sip:bob@127.0.0.1;x=" + "p".repeat(300)), "to");
    }

    @Test
    void messageToWithLongHostIs400() {
        String token = api.login(uri("t17"));
        assertValidationError(message(token, "sip:bob@" + "h".repeat(100) + ".example.com"), "to");
        assertValidationError(message(token, "sip:bob@" + LONG_HOST + ".example.com"), "to");
    }

    @Test
    void messageToWithLineBreakIs400() {
        String token = api.login(uri("t17"));
        assertValidationError(message(token, uri("t18") + "\r\nX-Injected: 1"), "to");
        assertValidationError(message(token, uri("t18") + ";x=\u0000"), "to");
    }

    @Test
    void callToOver255CharactersOrWithLongHostIs400() {
        String token = api.login(uri("t17"));
        Api.Result tooLong = call(token, "sip:bob@127.0.0.1;x=" + "p".repeat(300), SdpTest.CHROME_OFFER);
        assertEquals(400, tooLong.status(), tooLong.body());
        assertEquals("VALIDATION_ERROR", tooLong.errorCode());
        Api.Result longHost = call(token, "sip:bob@" + "h".repeat(100) + ".example.com", SdpTest.CHROME_OFFER);
        assertEquals(400, longHost.status(), longHost.body());
        assertEquals("VALIDATION_ERROR", longHost.errorCode());
    }

    @Test
    void callToWithLineBreakIs400() {
        String token = api.login(uri("t17"));
        Api.Result injected = call(token, uri("t18") + "\r\nX-Injected: 1", SdpTest.CHROME_OFFER);
        assertEquals(400, injected.status(), injected.body());
        assertEquals("VALIDATION_ERROR", injected.errorCode());
    }

    @Test
    void sdpWithABareCarriageReturnInALineIsInvalidSdp() {
        String token = api.login(uri("t17"));
        Api.Result result = call(token, uri("t18"), SdpTest.CHROME_OFFER.replace("a=sendrecv", "a=sendrecv\ra=inactive"));
        assertEquals(400, result.status(), result.body());
        assertEquals("INVALID_SDP", result.errorCode());
    }

    @Test
    void loginSipUriWithLineBreakIs400() {
        Api.Result result = api.post("/api/auth/login", Json.createObjectBuilder()
                .add("sipUri", uri("t17") + "\r\nX-Injected: 1").add("password", "secret123").build().toString(), null);
        assertValidationError(result, "sipUri");
    }

    @Test
    void rejectReasonWithLineBreakIs400AndTheCallStillRings() {
        String caller = api.login(uri("t17"));
        String callee = api.login(uri("t18"));
        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            callerSocket.send("{\"type\":\"PING\"}");
            callerSocket.await("PONG", WAIT);
            calleeSocket.send("{\"type\":\"PING\"}");
            calleeSocket.await("PONG", WAIT);
            Api.Result placed = call(caller, uri("t18"), SdpTest.CHROME_OFFER);
            assertEquals(200, placed.status(), placed.body());
            String incomingId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");

            for (String reason : new String[] {"busy\r\nX-Injected: 1", "busy\n", "nul\u0000", "x".repeat(201)}) {
                Api.Result refused = api.put("/api/calls/" + incomingId + "/reject",
                        Json.createObjectBuilder().add("reason", reason).build().toString(), callee);
                assertValidationError(refused, "reason");
            }
            assertEquals("RINGING", api.get("/api/calls/" + incomingId, callee).data().getString("state"));

            Api.Result declined = api.put("/api/calls/" + incomingId + "/reject",
                    Json.createObjectBuilder().add("reason", "在开会 \"稍后\" 回电").build().toString(), callee);
            assertEquals(200, declined.status(), declined.body());
            String outgoingId = placed.data().getString("callId");
            JsonObject rejected = callerSocket.await("CALL_STATE_CHANGED",
                    f -> f.getJsonObject("data").getString("callId").equals(outgoingId), WAIT).getJsonObject("data");
            assertEquals("REJECTED", rejected.getString("newState"));
        }
    }

    private static String iceFrame(JsonObjectBuilder candidate) {
        return Json.createObjectBuilder().add("type", "ICE_CANDIDATE").add("data", Json.createObjectBuilder()
                .add("callId", "call-unknown").add("candidate", candidate)).build().toString();
    }

    private static JsonObjectBuilder candidate(String line, int mLineIndex, String mid) {
        return Json.createObjectBuilder().add("candidate", line).add("sdpMLineIndex", mLineIndex).add("sdpMid", mid);
    }

    private static void assertErrorFrame(EventSocket socket, String frame, String field) {
        socket.send(frame);
        JsonObject error = socket.await("ERROR", WAIT).getJsonObject("error");
        assertEquals("VALIDATION_ERROR", error.getString("code"), error.toString());
        assertTrue(error.getJsonObject("details").containsKey(field), error.toString());
    }

    private static final String HOST_CANDIDATE = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host";

    @Test
    void iceCandidateWithLineBreakIsAnErrorFrame() {
        try (EventSocket socket = EventSocket.open(api, api.login(uri("t17")))) {
            assertErrorFrame(socket, iceFrame(candidate(HOST_CANDIDATE + "\r\na=setup:active", 0, "0")), "candidate");
            assertErrorFrame(socket, iceFrame(candidate("a=fingerprint:sha-256 00", 0, "0")), "candidate");
            assertErrorFrame(socket, iceFrame(candidate("candidate:" + "1".repeat(1100), 0, "0")), "candidate");
        }
    }

    @Test
    void sdpMidWithLineBreakOrOverlongIsAnErrorFrame() {
        try (EventSocket socket = EventSocket.open(api, api.login(uri("t17")))) {
            assertErrorFrame(socket, iceFrame(candidate(HOST_CANDIDATE, 0, "0\r\na=setup:active")), "sdpMid");
            assertErrorFrame(socket, iceFrame(candidate(HOST_CANDIDATE, 0, "m".repeat(1000))), "sdpMid");
        }
    }

    @Test
    void sdpMLineIndexOutOfRangeIsAnErrorFrame() {
        try (EventSocket socket = EventSocket.open(api, api.login(uri("t17")))) {
            assertErrorFrame(socket, iceFrame(candidate(HOST_CANDIDATE, -1, "0")), "sdpMLineIndex");
            assertErrorFrame(socket, iceFrame(candidate(HOST_CANDIDATE, 1_000_000, "0")), "sdpMLineIndex");
            // the socket stays usable
            socket.send("{\"type\":\"PING\"}");
            socket.await("PONG", WAIT);
        }
    }
}
