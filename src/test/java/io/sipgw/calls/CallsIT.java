package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Calls between gateway users through the SIP server under test (embedded, or Kamailio in the kamailio
 * profile): offer in INVITE, INCOMING_CALL, trickle ICE in INFO both ways, answer, ACK, hang-up, reject,
 * cancel, busy, offline, ring timeout, history.
 */
@RunAsClient
class CallsIT extends GatewayIT {

    static final String ANSWER = SdpTest.CHROME_OFFER.replace("4611731400430051336", "777").replace("a=setup:actpass", "a=setup:active");

    /**
     * After every scenario of this class (answered, rejected, cancelled, timed out, busy, unacknowledged,
     * logged out) the gateway lets go of all SIP state: no call leg and no SIP dialog is left behind.
     */
    @AfterAll
    static void noCallLegOrSipDialogIsLeftBehind() throws InterruptedException {
        var left = Api.forTestServer().gaugesSettled(Duration.ofSeconds(60), "sipgw_calls_live", "sipgw_sip_dialogs");
        assertEquals(0.0, left.get("sipgw_calls_live").doubleValue(), "call legs left");
        assertEquals(0.0, left.get("sipgw_sip_dialogs").doubleValue(), "SIP dialogs left");
    }

    private Api.Result call(String token, String to, String sdp) {
        return api.post("/api/calls", Json.createObjectBuilder().add("to", to).add("type", "AUDIO").add("sdp", sdp).build().toString(), token);
    }

    private static String iceFrame(String callId, String candidate) {
        return Json.createObjectBuilder().add("type", "ICE_CANDIDATE").add("data", Json.createObjectBuilder()
                .add("callId", callId)
                .add("candidate", Json.createObjectBuilder().add("candidate", candidate).add("sdpMLineIndex", 0).add("sdpMid", "0")))
                .build().toString();
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return frame.getJsonObject("data").getString("callId").equals(callId);
    }

    /** A browser-sized offer (over 1300 bytes): its INVITE goes to the SIP server over TCP (RFC 3261 18.1.1). */
    static final String LARGE_OFFER = SdpTest.CHROME_OFFER + String.join("\r\n",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=rtpmap:63 red/48000/2", "a=fmtp:63 111/111",
            "a=rtpmap:9 G722/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:13 CN/8000",
            "a=rtpmap:110 telephone-event/48000", "a=rtpmap:126 telephone-event/8000",
            "a=ssrc:1001 cname:4TOk42mSjXCkVIa6", "a=ssrc:1001 msid:stream track-audio-0123456789abcdef",
            "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0 network-id 1",
            "a=candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 network-id 1",
            "a=candidate:3 1 udp 2122194687 ::1 50001 typ host generation 0 network-id 2",
            "a=candidate:4 1 tcp 1518214911 ::1 9 typ host tcptype active generation 0 network-id 2",
            "") ;

    @Test
    void wholeCallWithAnswerIceRelayHangUpAndHistory() {
        String caller = api.login(uri("t1"));
        String callee = api.login(uri("t2"));
        assertTrue(LARGE_OFFER.length() > 1300, "the offer must not fit a datagram: " + LARGE_OFFER.length());
        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            Api.Result placed = call(caller, uri("t2"), LARGE_OFFER);
            assertEquals(200, placed.status(), placed.body());
            assertEquals("呼叫已发起", placed.json().getString("message"));
            String callId = placed.data().getString("callId");
            assertEquals("RINGING", placed.data().getString("state"));
            assertEquals(uri("t2"), placed.data().getString("to"));
            assertEquals("AUDIO", placed.data().getString("type"));

            // the caller's candidates may be sent before the callee's phone rang: queued, then relayed
            callerSocket.send(iceFrame(callId, "candidate:1 1 UDP 2130706431 127.0.0.1 50001 typ host"));

            JsonObject ringing = calleeSocket.await("INCOMING_CALL", WAIT);
            JsonObject incoming = ringing.getJsonObject("data");
            String calleeCallId = incoming.getString("callId");
            assertEquals("sip:t1@127.0.0.1", incoming.getString("from"));
            assertEquals("t1@127.0.0.1", incoming.getJsonObject("fromUser").getString("userId"));
            assertEquals("T1", incoming.getJsonObject("fromUser").getString("displayName"));
            assertEquals("AUDIO", incoming.getString("type"));
            assertTrue(incoming.getString("sdp").contains("a=ice-ufrag:Ad7v"), incoming.getString("sdp"));

            JsonObject relayed = calleeSocket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, calleeCallId), WAIT);
            assertEquals("candidate:1 1 UDP 2130706431 127.0.0.1 50001 typ host",
                    relayed.getJsonObject("data").getJsonObject("candidate").getString("candidate"));
            assertEquals("0", relayed.getJsonObject("data").getJsonObject("candidate").getString("sdpMid"));

            calleeSocket.send(iceFrame(calleeCallId, "candidate:2 1 UDP 2130706431 127.0.0.1 50002 typ host"));
            JsonObject back = callerSocket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT);
            assertEquals("candidate:2 1 UDP 2130706431 127.0.0.1 50002 typ host",
                    back.getJsonObject("data").getJsonObject("candidate").getString("candidate"));

            Api.Result answered = api.put("/api/calls/" + calleeCallId + "/answer",
                    Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee);
            assertEquals(200, answered.status(), answered.body());
            assertEquals("通话已接通", answered.json().getString("message"));

            JsonObject active = callerSocket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data");
            assertEquals("RINGING", active.getString("oldState"));
            assertEquals("ACTIVE", active.getString("newState"));
            assertTrue(active.getString("sdp").contains("a=setup:active"), "the caller gets the answer SDP");
            JsonObject calleeActive = calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", calleeActive.getString("newState"));

            assertEquals("ACTIVE", api.get("/api/calls/" + callId, caller).data().getString("state"));
            assertEquals("ACTIVE", api.get("/api/calls/" + calleeCallId, callee).data().getString("state"));
            assertTrue(api.gauge("sipgw_calls_live") >= 2, "both legs of the active call are live");
            assertTrue(api.gauge("sipgw_sip_dialogs") >= 2, "both legs of the active call have a dialog");
            assertEquals(404, api.get("/api/calls/" + callId, callee).status(), "nobody reads another user's call");
            Api.Result again = api.put("/api/calls/" + calleeCallId + "/answer",
                    Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee);
            assertEquals(409, again.status(), again.body());
            assertEquals("INVALID_STATE", again.errorCode());
            assertEquals(404, api.delete("/api/calls/" + callId, callee).status(), "nobody hangs up another user's call");

            Api.Result hungUp = api.delete("/api/calls/" + callId, caller);
            assertEquals(200, hungUp.status(), hungUp.body());
            assertEquals("ENDED", hungUp.data().getString("state"));
            assertTrue(hungUp.data().getInt("duration") >= 0);
            assertNotNull(hungUp.data().getString("endedAt"));
            JsonObject ended = calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId)
                    && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", ended.getString("oldState"));

            JsonObject mine = historyEntry(caller, "OUTGOING", callId);
            assertEquals("ENDED", mine.getString("state"));
            assertEquals("OUTGOING", mine.getString("direction"));
            assertEquals("t2@127.0.0.1", mine.getJsonObject("peer").getString("userId"));
            assertNotNull(mine.getString("answeredAt"));
            JsonObject theirs = historyEntry(callee, "INCOMING", calleeCallId);
            assertEquals("ENDED", theirs.getString("state"));
            assertEquals(409, api.delete("/api/calls/" + callId, caller).status(), "an ended call cannot be hung up again");
        }
    }

    @Test
    void calleeRejectsAndCallerSeesRejected() {
        String caller = api.login(uri("t3"));
        String callee = api.login(uri("t4"));
        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            String callId = call(caller, uri("t4"), SdpTest.CHROME_OFFER).data().getString("callId");
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(403, api.put("/api/calls/" + callId + "/reject", null, caller).status(), "the caller cannot reject");
            Api.Result rejected = api.put("/api/calls/" + calleeCallId + "/reject", "{\"reason\":\"忙碌中\"}", callee);
            assertEquals(200, rejected.status(), rejected.body());
            assertEquals("已拒绝呼叫", rejected.json().getString("message"));
            JsonObject state = callerSocket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data");
            assertEquals("REJECTED", state.getString("newState"));
            assertEquals("REJECTED", historyEntry(callee, "INCOMING", calleeCallId).getString("state"));
        }
    }

    @Test
    void callerCancelsWhileRingingAndCalleeHasAMissedCall() {
        String caller = api.login(uri("t5"));
        String callee = api.login(uri("t6"));
        try (EventSocket calleeSocket = EventSocket.open(api, callee)) {
            String callId = call(caller, uri("t6"), SdpTest.CHROME_OFFER).data().getString("callId");
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            Api.Result cancelled = api.delete("/api/calls/" + callId, caller);
            assertEquals(200, cancelled.status(), cancelled.body());
            assertEquals("CANCELLED", cancelled.data().getString("state"));
            JsonObject state = calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId), WAIT).getJsonObject("data");
            assertEquals("CANCELLED", state.getString("newState"));
            JsonObject missed = historyEntry(callee, "MISSED", calleeCallId);
            assertTrue(missed.getBoolean("missed"));
        }
    }

    @Test
    void unansweredCallTimesOutAsMissed() {
        String caller = api.login(uri("t7"));
        String callee = api.login(uri("t8"));
        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            String callId = call(caller, uri("t8"), SdpTest.CHROME_OFFER).data().getString("callId");
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            Duration timeout = Duration.ofSeconds(30);
            assertEquals("FAILED", calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId), timeout)
                    .getJsonObject("data").getString("newState"));
            assertEquals("FAILED", callerSocket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), timeout)
                    .getJsonObject("data").getString("newState"));
            assertTrue(historyEntry(callee, "MISSED", calleeCallId).getBoolean("missed"));
        }
    }

    @Test
    void busyUserIsCallBusyAndOfflineUserIsUserOffline() {
        String caller = api.login(uri("t9"));
        String busy = api.login(uri("t10"));
        assertEquals(200, api.put("/api/auth/status", "{\"status\":\"BUSY\"}", busy).status());
        Api.Result toBusy = call(caller, uri("t10"), SdpTest.CHROME_OFFER);
        assertEquals(400, toBusy.status(), toBusy.body());
        assertEquals("CALL_BUSY", toBusy.errorCode());
        String busyCallId = toBusy.json().getJsonObject("error").getJsonObject("details").getString("callId");
        assertTrue(busyCallId.startsWith("call-"), "a failed POST names the call it stored: " + toBusy.body());
        historyEntry(caller, "OUTGOING", busyCallId); // the stored call the details name

        Api.Result toOffline = call(caller, uri("t20"), SdpTest.CHROME_OFFER);
        assertEquals(400, toOffline.status(), toOffline.body());
        assertEquals("USER_OFFLINE", toOffline.errorCode());
    }

    @Test
    void badOffersAreRejected() {
        String caller = api.login(uri("t11"));
        Api.Result garbage = call(caller, uri("t12"), "not sdp at all");
        assertEquals(400, garbage.status(), garbage.body());
        assertEquals("INVALID_SDP", garbage.errorCode());
        Api.Result noAudio = call(caller, uri("t12"), SdpTest.CHROME_OFFER.replace("m=audio", "m=video"));
        assertEquals("INVALID_SDP", noAudio.errorCode());
        Api.Result video = api.post("/api/calls", Json.createObjectBuilder().add("to", uri("t12")).add("type", "VIDEO")
                .add("sdp", SdpTest.CHROME_OFFER).build().toString(), caller);
        assertEquals(400, video.status(), video.body());
        assertTrue(video.json().getJsonObject("error").getJsonObject("details").containsKey("type"));
        assertEquals(404, api.get("/api/calls/call-does-not-exist", caller).status());
        Api.Result badType = api.get("/api/calls/history?type=SOMETIMES", caller);
        assertEquals(400, badType.status(), badType.body());
    }

    @Test
    void iceForAnUnknownCallIsAnErrorFrame() {
        String user = api.login(uri("t13"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            socket.send(iceFrame("call-nope", "candidate:1 1 UDP 1 127.0.0.1 1 typ host"));
            assertEquals("NOT_FOUND", socket.await("ERROR", WAIT).getJsonObject("error").getString("code"));
            socket.send("{\"type\":\"ICE_CANDIDATE\",\"data\":{}}");
            assertEquals("VALIDATION_ERROR", socket.await("ERROR", WAIT).getJsonObject("error").getString("code"));
        }
    }

    @Test
    void plainSipPhoneCallsGatewayUserWhoAnswersAndThePhoneHangsUp() throws Exception {
        String callee = api.login(uri("t15"));
        try (EventSocket socket = EventSocket.open(api, callee);
             SipPhone phone = new SipPhone("t14", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            SipPhone.PhoneCall call = phone.call("t15", SdpTest.CHROME_OFFER);
            call.awaitResponse(180);
            JsonObject incoming = socket.await("INCOMING_CALL", WAIT).getJsonObject("data");
            assertEquals("sip:t14@127.0.0.1", incoming.getString("from"));
            String callId = incoming.getString("callId");

            assertEquals(200, api.put("/api/calls/" + callId + "/answer", Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee).status());
            var ok = call.awaitResponse(200);
            assertTrue(SipPhone.body(ok).contains("a=setup:active"), "the phone gets the browser's answer");
            call.ack(ok);
            assertEquals("ACTIVE", socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data").getString("newState"));

            assertEquals(200, call.sendInDialog("INFO", "trickle-ice-sdpfrag",
                    "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=candidate:9 1 UDP 2130706431 127.0.0.1 40000 typ host\r\n").status());
            JsonObject candidate = socket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT).getJsonObject("data").getJsonObject("candidate");
            assertEquals("candidate:9 1 UDP 2130706431 127.0.0.1 40000 typ host", candidate.getString("candidate"));
            assertEquals(200, call.sendInDialog("INFO", "trickle-ice-sdpfrag", "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\na=end-of-candidates\r\n").status());
            JsonObject end = socket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT).getJsonObject("data").getJsonObject("candidate");
            assertEquals("", end.getString("candidate"), "end-of-candidates arrives as an empty candidate");
            assertEquals("0", end.getString("sdpMid"));

            assertEquals(200, call.sendInDialog("BYE", null, null).status());
            JsonObject ended = socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId)
                    && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", ended.getString("oldState"));
            phone.register("secret123", 0);
        }
    }

    @Test
    void anAnswerTheCallerNeverAcknowledgesFailsTheCallAndEndsTheDialog() throws Exception {
        String callee = api.login(uri("t15"));
        try (EventSocket socket = EventSocket.open(api, callee);
             SipPhone phone = new SipPhone("t14", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            SipPhone.PhoneCall call = phone.call("t15", SdpTest.CHROME_OFFER);
            call.awaitResponse(180);
            String callId = socket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, api.put("/api/calls/" + callId + "/answer", Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee).status());
            call.awaitResponse(200); // and no ACK: the IT server gives up after 4 s (sipgw.calls.ack-timeout-seconds)

            JsonObject failed = socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId)
                    && f.getJsonObject("data").getString("newState").equals("FAILED"), WAIT).getJsonObject("data");
            assertEquals("RINGING", failed.getString("oldState"));
            phone.answer(phone.awaitRequest("BYE", r -> true), 200);
            assertEquals("FAILED", api.get("/api/calls/" + callId, callee).data().getString("state"));
            phone.register("secret123", 0);
        }
    }

    @Test
    void gatewayUserCallsPlainSipPhoneWhichAnswersAndTheUserHangsUp() throws Exception {
        String caller = api.login(uri("t16"));
        try (EventSocket socket = EventSocket.open(api, caller);
             SipPhone phone = new SipPhone("t17", "127.0.0.1", "127.0.0.1", sipServerPort, Integer.getInteger("it.phone.port"))) {
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            var placing = java.util.concurrent.CompletableFuture.supplyAsync(() -> call(caller, uri("t17"), SdpTest.CHROME_OFFER));
            SipPhone.PhoneCall call = phone.accept(phone.awaitRequest("INVITE", r -> true));
            assertTrue(SipPhone.body(call.invite()).contains("a=ice-ufrag:Ad7v"), "the phone gets the browser's offer");
            call.respond(180, null);
            Api.Result placed = placing.get(15, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, placed.status(), placed.body());
            assertEquals("RINGING", placed.data().getString("state"));
            String callId = placed.data().getString("callId");

            call.respond(200, ANSWER);
            phone.awaitRequest("ACK", r -> true);
            JsonObject active = socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", active.getString("newState"));
            assertTrue(active.getString("sdp").contains("a=setup:active"));

            socket.send(iceFrame(callId, "candidate:3 1 UDP 2130706431 127.0.0.1 50003 typ host"));
            var info = phone.awaitRequest("INFO", r -> SipPhone.body(r).contains("candidate:3 1 UDP"));
            assertTrue(info.getRequest().getHeader("Content-Type").toString().contains("trickle-ice-sdpfrag"));
            phone.answer(info, 200);
            socket.send(iceFrame(callId, ""));
            var end = phone.awaitRequest("INFO", r -> SipPhone.body(r).contains("a=end-of-candidates"));
            assertFalse(SipPhone.body(end.getRequest()).contains("a=candidate"), SipPhone.body(end.getRequest()));
            phone.answer(end, 200);

            Api.Result hungUp = api.delete("/api/calls/" + callId, caller);
            assertEquals("ENDED", hungUp.data().getString("state"));
            phone.answer(phone.awaitRequest("BYE", r -> true), 200);
            phone.register("secret123", 0);
        }
    }

    @Test
    void secondCallRingsWhileTheCalleeIsInACall() {
        String first = api.login(uri("alice"));
        String callee = api.login(uri("bob"));
        String second = api.login(uri("carol"));
        try (EventSocket calleeSocket = EventSocket.open(api, callee)) {
            String callId = call(first, uri("bob"), SdpTest.CHROME_OFFER).data().getString("callId");
            String active = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, api.put("/api/calls/" + active + "/answer", Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee).status());
            calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, active), WAIT);

            Api.Result waiting = call(second, uri("bob"), SdpTest.CHROME_OFFER);
            assertEquals(200, waiting.status(), waiting.body());
            assertEquals("RINGING", waiting.data().getString("state"));
            JsonObject ringing = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data");
            assertEquals("sip:carol@127.0.0.1", ringing.getString("from"));
            assertEquals(200, api.put("/api/calls/" + ringing.getString("callId") + "/reject", null, callee).status());
            assertEquals("ACTIVE", api.get("/api/calls/" + active, callee).data().getString("state"), "the first call goes on");
            assertEquals(200, api.delete("/api/calls/" + callId, first).status());
        }
    }

    /**
     * Calls that ring at the same time each reach their callee with the caller's name, and each answers: the
     * callee's side of a call is set up on the gateway's worker threads, several at once. (Reads of the
     * directory there once shared one entity manager between threads and failed the calls in signalling.)
     */
    @Test
    void callsPlacedAtTheSameTimeAllRingAndAreAnswered() throws Exception {
        int pairs = 4;
        List<String> callers = new ArrayList<>();
        List<String> callees = new ArrayList<>();
        List<EventSocket> sockets = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(pairs);
        try {
            for (int p = 1; p <= pairs; p++) {
                callers.add(api.login(uri("c" + (2 * p - 1))));
                callees.add(api.login(uri("c" + 2 * p)));
                sockets.add(EventSocket.open(api, callees.get(p - 1)));
            }
            for (int round = 0; round < 5; round++) {
                List<CompletableFuture<String>> placed = new ArrayList<>();
                for (int p = 0; p < pairs; p++) {
                    String caller = callers.get(p);
                    String to = uri("c" + (2 * p + 2));
                    placed.add(CompletableFuture.supplyAsync(() -> {
                        Api.Result r = call(caller, to, SdpTest.CHROME_OFFER);
                        assertEquals(200, r.status(), r.body());
                        return r.data().getString("callId");
                    }, clients));
                }
                for (int p = 0; p < pairs; p++) {
                    String callId = placed.get(p).join();
                    JsonObject incoming = sockets.get(p).await("INCOMING_CALL", WAIT).getJsonObject("data");
                    assertEquals("C" + (2 * p + 1), incoming.getJsonObject("fromUser").getString("displayName"));
                    String calleeCallId = incoming.getString("callId");
                    Api.Result answered = api.put("/api/calls/" + calleeCallId + "/answer",
                            Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callees.get(p));
                    assertEquals(200, answered.status(), answered.body());
                    sockets.get(p).await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId)
                            && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
                    assertEquals(200, api.delete("/api/calls/" + callId, callers.get(p)).status());
                    sockets.get(p).await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId)
                            && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);
                }
            }
        } finally {
            clients.shutdownNow();
            sockets.forEach(EventSocket::close);
        }
    }

    @Test
    void logoutEndsTheUsersCalls() {
        String caller = api.login(uri("t18"));
        String callee = api.login(uri("t19"));
        try (EventSocket calleeSocket = EventSocket.open(api, callee)) {
            String callId = call(caller, uri("t19"), SdpTest.CHROME_OFFER).data().getString("callId");
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, api.put("/api/calls/" + calleeCallId + "/answer", Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee).status());
            calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId), WAIT);

            assertEquals(200, api.post("/api/auth/logout", null, caller).status());
            JsonObject ended = calleeSocket.await("CALL_STATE_CHANGED", f -> isCall(f, calleeCallId)
                    && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT).getJsonObject("data");
            assertEquals("ACTIVE", ended.getString("oldState"));
            String again = api.login(uri("t18"));
            assertEquals("ENDED", api.get("/api/calls/" + callId, again).data().getString("state"));
        }
    }

    private JsonObject historyEntry(String token, String type, String callId) {
        Api.Result history = api.get("/api/calls/history?type=" + type + "&size=200", token);
        assertEquals(200, history.status(), history.body());
        return history.data().getJsonArray("content").stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("callId").equals(callId)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + callId + " in " + type + " history: " + history.body()));
    }
}
