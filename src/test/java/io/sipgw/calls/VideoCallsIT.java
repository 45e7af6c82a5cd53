package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * VIDEO calls (issue 16): an audio and video offer between two gateway users is accepted and its type shows
 * everywhere the spec has one (POST answer, INCOMING_CALL, GET /calls/{id}, history, admin call records); a
 * VIDEO call without a video m-line is refused; an INVITE from a SIP phone with video rings as VIDEO.
 */
@RunAsClient
class VideoCallsIT extends GatewayIT {

    static final String VIDEO_ANSWER = SdpTest.CHROME_VIDEO_OFFER.replace("4611731400430051336", "778")
            .replace("a=setup:actpass", "a=setup:active");

    private Api.Result call(String token, String to, String type, String sdp) {
        return api.post("/api/calls", Json.createObjectBuilder().add("to", to).add("type", type).add("sdp", sdp).build().toString(), token);
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return frame.getJsonObject("data").getString("callId").equals(callId);
    }

    @Test
    void videoCallBetweenTwoUsersCarriesItsTypeEverywhere() {
        String caller = api.login(uri("v1"));
        String callee = api.login(uri("v2"));
        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            Api.Result placed = call(caller, uri("v2"), "video", SdpTest.CHROME_VIDEO_OFFER);
            assertEquals(200, placed.status(), placed.body());
            assertEquals("VIDEO", placed.data().getString("type"), "the type is read case-insensitively and stored upper case");
            String callId = placed.data().getString("callId");

            JsonObject incoming = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data");
            assertEquals("VIDEO", incoming.getString("type"));
            assertTrue(incoming.getString("sdp").contains("m=video 9 UDP/TLS/RTP/SAVPF 96"), "the callee gets the video offer");
            String calleeCallId = incoming.getString("callId");

            Api.Result answered = api.put("/api/calls/" + calleeCallId + "/answer",
                    Json.createObjectBuilder().add("sdp", VIDEO_ANSWER).build().toString(), callee);
            assertEquals(200, answered.status(), answered.body());
            JsonObject active = callerSocket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", active.getString("newState"));
            assertTrue(active.getString("sdp").contains("m=video"), "the caller gets the video answer");

            assertEquals("VIDEO", api.get("/api/calls/" + callId, caller).data().getString("type"));
            assertEquals("VIDEO", api.get("/api/calls/" + calleeCallId, callee).data().getString("type"));
            assertEquals(200, api.delete("/api/calls/" + callId, caller).status());
            calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId)
                    && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);

            assertEquals("VIDEO", historyEntry(caller, callId).getString("type"));
            assertEquals("VIDEO", historyEntry(callee, calleeCallId).getString("type"));
            String admin = api.login(uri("admin"));
            JsonObject record = api.get("/api/admin/calls?page=0&size=200", admin).data().getJsonArray("content").stream()
                    .map(v -> v.asJsonObject()).filter(r -> r.getString("callId").equals(callId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no admin record of " + callId));
            assertEquals("VIDEO", record.getString("type"));
            assertEquals("COMPLETED", record.getString("status"));
        }
    }

    @Test
    void videoWithoutAVideoLineIsAValidationErrorAndAudioStaysAudio() {
        String caller = api.login(uri("v1"));
        Api.Result noVideo = call(caller, uri("v2"), "VIDEO", SdpTest.CHROME_OFFER);
        assertEquals(400, noVideo.status(), noVideo.body());
        assertEquals("VALIDATION_ERROR", noVideo.errorCode());
        assertTrue(noVideo.json().getJsonObject("error").getJsonObject("details").getString("type").contains("video m-line"), noVideo.body());
        Api.Result declinedVideo = call(caller, uri("v2"), "VIDEO", SdpTest.CHROME_VIDEO_OFFER.replace("m=video 9 ", "m=video 0 "));
        assertEquals(400, declinedVideo.status(), declinedVideo.body());
        assertEquals("VALIDATION_ERROR", declinedVideo.errorCode());
        Api.Result unknown = call(caller, uri("v2"), "HOLOGRAM", SdpTest.CHROME_VIDEO_OFFER);
        assertEquals(400, unknown.status(), unknown.body());
        assertEquals("VALIDATION_ERROR", unknown.errorCode());
        Api.Result videoWithoutAudio = call(caller, uri("v2"), "VIDEO", SdpTest.CHROME_VIDEO_OFFER
                .replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=video 9 UDP/TLS/RTP/SAVPF 96"));
        assertEquals("INVALID_SDP", videoWithoutAudio.errorCode(), videoWithoutAudio.body());
        Api.Result injected = call(caller, uri("v2"), "VIDEO", SdpTest.CHROME_VIDEO_OFFER.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/90000\ra=inactive"));
        assertEquals("INVALID_SDP", injected.errorCode(), injected.body());
    }

    @Test
    void sipPhoneOfferingVideoRingsAsVideoAndTheUserAnswersAudioOnly() throws Exception {
        String callee = api.login(uri("v2"));
        try (EventSocket socket = EventSocket.open(api, callee);
             SipPhone phone = new SipPhone("v3", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            SipPhone.PhoneCall call = phone.call("v2", SdpTest.CHROME_VIDEO_OFFER);
            call.awaitResponse(180);
            JsonObject incoming = socket.await("INCOMING_CALL", WAIT).getJsonObject("data");
            assertEquals("VIDEO", incoming.getString("type"));
            String callId = incoming.getString("callId");

            // answering audio only: the video m-line declined with port 0 (the web client sends a=inactive)
            String audioOnly = VIDEO_ANSWER.replace("m=video 9 ", "m=video 0 ");
            assertEquals(200, api.put("/api/calls/" + callId + "/answer", Json.createObjectBuilder().add("sdp", audioOnly).build().toString(), callee).status());
            var ok = call.awaitResponse(200);
            assertTrue(SipPhone.body(ok).contains("m=video 0 "), "the phone learns the video was declined");
            call.ack(ok);
            assertEquals("ACTIVE", socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data").getString("newState"));
            assertEquals("VIDEO", api.get("/api/calls/" + callId, callee).data().getString("type"), "the type stays what was offered");
            assertEquals(200, call.sendInDialog("BYE", null, null).status());
            socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId) && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);
            phone.register("secret123", 0);
        }
    }

    private JsonObject historyEntry(String token, String callId) {
        Api.Result history = api.get("/api/calls/history?size=200", token);
        assertEquals(200, history.status(), history.body());
        return history.data().getJsonArray("content").stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("callId").equals(callId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + callId + " in history: " + history.body()));
    }
}
