package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayProcess;
import io.sipgw.testing.IceProbe;
import io.sipgw.testing.Rtpengine;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Calls between a browser-like API user (WebRTC SDP) and a plain RTP/AVP SIP phone registered at the
 * embedded SIP server, on a gateway of the test's own configured with {@code sipgw.media.relay=rtpengine}
 * and a real rtpengine on loopback (Arquillian's server keeps the default, no relay): each side sees only
 * what it speaks, and every call end leaves nothing in rtpengine's list. Last, rtpengine stopped: placing
 * such a call is SIP_ERROR and leaves no trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MediaRelayIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Rtpengine rtpengine;
    private static NgClient client;
    private static GatewayProcess gateway;

    private static String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + GatewayProcess.REGISTRAR_PORT;
    }

    @BeforeAll
    static void start() throws Exception {
        rtpengine = Rtpengine.start("media-relay", 30500, 30999);
        client = new NgClient(rtpengine.ng(), Duration.ofSeconds(2), 1);
        gateway = startGateway();
    }

    private static GatewayProcess startGateway() throws Exception {
        Path dataDir = Path.of(System.getProperty("it.build.dir"), "it-media-relay-data-" + GatewayProcess.HTTP_PORT);
        return GatewayProcess.start(dataDir, "it-media-relay", "-Dsipgw.media.relay=rtpengine",
                "-Dsipgw.media.rtpengine.ng=127.0.0.1:" + rtpengine.ng().getPort(),
                "-Dsipgw.media.rtpengine.timeout-ms=500", "-Dsipgw.media.rtpengine.retries=1",
                "-Dsipgw.media.rtpengine.trickle=true");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (rtpengine != null) {
                rtpengine.close();
            }
        }
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return callId.equals(frame.getJsonObject("data").getString("callId", null));
    }

    /** The SDP lines that start with one of {@code prefixes}, in order. */
    private static List<String> lines(String sdp, String... prefixes) {
        return sdp.lines().filter(l -> java.util.Arrays.stream(prefixes).anyMatch(l::startsWith)).toList();
    }

    /** rtpengine's delete runs off the request thread: wait until its list is empty. */
    private static void awaitNothingInRtpengine() throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT.toMillis();
        List<String> left = client.list(100);
        while (!left.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100); // polling a condition, as Api.gaugesSettled does
            left = client.list(100);
        }
        assertEquals(List.of(), left, "calls left in rtpengine");
    }

    /** A call the browser placed and the phone took: its SIP side, the POST's answer, the browser's callId. */
    private record Placed(SipPhone.PhoneCall call, Api.Result result, String callId) {
    }

    /** A call the phone placed that rings in the browser: its SIP side, the INCOMING_CALL's data, the callId. */
    private record Incoming(SipPhone.PhoneCall call, JsonObject data, String callId) {
    }

    /**
     * The two ends of a call here: a browser-like API user logged in on the gateway with its event socket, and a
     * plain RTP/AVP phone registered at the embedded SIP server; and the steps a call takes between them.
     */
    private static final class Parties implements AutoCloseable {
        private final String browserUser;
        private final String phoneUser;
        final Api api;
        final String browser;
        final EventSocket socket;
        final SipPhone phone;

        Parties(String browserUser, String phoneUser) throws Exception {
            this.browserUser = browserUser;
            this.phoneUser = phoneUser;
            api = gateway.api();
            browser = api.login(uri(browserUser));
            socket = EventSocket.open(api, browser);
            try {
                phone = new SipPhone(phoneUser, "127.0.0.1", "127.0.0.1", GatewayProcess.REGISTRAR_PORT, Integer.getInteger("it.phone.port"));
            } catch (Exception | Error e) {
                socket.close();
                throw e;
            }
            try {
                assertEquals(200, phone.register("secret123", 300).getStatusCode());
            } catch (Exception | Error e) {
                close();
                throw e;
            }
        }

        /**
         * The browser calls the phone with {@code offer}; the phone takes the INVITE and answers it with
         * {@code provisional} ({@code earlySdp} its body, if any); returns once the POST has answered 200.
         */
        Placed place(String offer, int provisional, String earlySdp) throws Exception {
            CompletableFuture<Api.Result> placed = CompletableFuture.supplyAsync(() -> api.post("/api/calls",
                    Json.createObjectBuilder().add("to", uri(phoneUser)).add("type", "AUDIO").add("sdp", offer)
                            .build().toString(), browser));
            SipPhone.PhoneCall call = phone.accept(phone.awaitRequest("INVITE"));
            call.respond(provisional, earlySdp);
            Api.Result result = placed.join();
            assertEquals(200, result.status(), result.body());
            return new Placed(call, result, result.data().getString("callId"));
        }

        /** The phone calls the browser with {@code sdp}; returns once the phone has 180 and the socket INCOMING_CALL. */
        Incoming ring(String sdp) throws Exception {
            SipPhone.PhoneCall call = phone.call(browserUser, sdp);
            call.awaitResponse(180);
            JsonObject data = socket.await("INCOMING_CALL", WAIT).getJsonObject("data");
            return new Incoming(call, data, data.getString("callId"));
        }

        /** The browser answers {@code incoming} with {@code sdp}; the phone ACKs the 200, which is returned. */
        Response answer(Incoming incoming, String sdp) throws Exception {
            Api.Result answered = api.put("/api/calls/" + incoming.callId() + "/answer",
                    Json.createObjectBuilder().add("sdp", sdp).build().toString(), browser);
            Response ok = incoming.call().awaitResponse(200);
            incoming.call().ack(ok);
            assertEquals(200, answered.status(), answered.body());
            return ok;
        }

        /** The data of the browser's CALL_STATE_CHANGED frame that takes {@code callId} to {@code state}. */
        JsonObject awaitState(String callId, String state) {
            return socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId)
                    && f.getJsonObject("data").getString("newState").equals(state), WAIT).getJsonObject("data");
        }

        /** The browser hangs up; the phone gets the BYE and answers it. */
        void browserHangsUp(String callId) throws Exception {
            assertEquals(200, api.delete("/api/calls/" + callId, browser).status());
            phone.answer(phone.awaitRequest("BYE"), 200);
        }

        /** The phone hangs up; the browser hears its call ENDED. */
        void phoneHangsUp(SipPhone.PhoneCall call, String callId) throws Exception {
            assertEquals(200, call.sendInDialog("BYE", null, null).status());
            awaitState(callId, "ENDED");
        }

        void unregisterPhone() throws Exception {
            phone.register("secret123", 0);
        }

        @Override
        public void close() {
            try {
                phone.close();
            } finally {
                socket.close();
            }
        }
    }

    @Test
    @Order(1)
    void browserCallsPlainPhoneThroughTheRelay() throws Exception {
        try (Parties parties = new Parties("t16", "t17")) {
            Placed placed = parties.place(RtpengineIT.BROWSER_OFFER, 180, null);
            String offer = SipPhone.body(placed.call().invite());
            assertTrue(offer.contains("RTP/AVP"), offer);
            assertFalse(offer.contains("SAVPF") || offer.contains("a=ice-") || offer.contains("a=fingerprint")
                    || offer.contains("a=candidate"), "no WebRTC towards the phone: " + offer);
            assertTrue(offer.contains("c=IN IP4 127.0.0.1"), offer);

            placed.call().respond(200, RtpengineIT.PHONE_SDP);
            String answer = parties.awaitState(placed.callId(), "ACTIVE").getString("sdp");
            assertTrue(answer.contains("UDP/TLS/RTP/SAVPF"), answer);
            assertTrue(answer.contains("a=ice-ufrag:") && answer.contains("a=fingerprint:"), answer);
            assertTrue(answer.contains("a=candidate:"), "rtpengine's own candidate: " + answer);
            assertFalse(answer.contains("40000"), "not the phone's address: " + answer);

            parties.browserHangsUp(placed.callId());
            awaitNothingInRtpengine();
            parties.unregisterPhone();
        }
    }

    @Test
    @Order(2)
    void earlyMediaOfThePlainPhoneReachesTheBrowserThroughTheRelay() throws Exception {
        try (Parties parties = new Parties("t16", "t17")) {
            Placed placed = parties.place(RtpengineIT.BROWSER_OFFER, 183, RtpengineIT.PHONE_SDP);
            assertEquals("RINGING", placed.result().data().getString("state"));
            String callId = placed.callId();
            SipPhone.PhoneCall call = placed.call();

            JsonObject early = parties.socket.await("CALL_STATE_CHANGED", f -> isCall(f, callId)
                    && f.getJsonObject("data").containsKey("sdp"), WAIT).getJsonObject("data");
            assertEquals("RINGING", early.getString("oldState"));
            assertEquals("RINGING", early.getString("newState"), "early media keeps the call ringing");
            String sdp = early.getString("sdp");
            assertTrue(sdp.contains("UDP/TLS/RTP/SAVPF"), sdp);
            assertTrue(sdp.contains("a=ice-ufrag:") && sdp.contains("a=fingerprint:") && sdp.contains("a=candidate:"),
                    "rtpengine's WebRTC side for the browser: " + sdp);
            assertFalse(sdp.contains("40000"), "not the phone's address: " + sdp);
            call.respond(183, RtpengineIT.PHONE_SDP);

            call.respond(200, RtpengineIT.PHONE_SDP);
            List<JsonObject> ringingAgain = new ArrayList<>();
            JsonObject active = parties.socket.await("CALL_STATE_CHANGED", f -> {
                if (!isCall(f, callId)) {
                    return false;
                }
                if (f.getJsonObject("data").getString("newState").equals("RINGING")) {
                    ringingAgain.add(f);
                }
                return f.getJsonObject("data").getString("newState").equals("ACTIVE");
            }, WAIT).getJsonObject("data");
            String last = active.getString("sdp");
            assertTrue(last.contains("UDP/TLS/RTP/SAVPF"), last);
            assertEquals(lines(sdp, "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:"), lines(last, "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:"),
                    "the final answer keeps the early one's ICE credentials and DTLS fingerprint (no ICE restart in the browser)");
            assertEquals(List.of(), ringingAgain, "the second 183 is not passed on again");

            parties.browserHangsUp(callId);
            awaitNothingInRtpengine();
            parties.unregisterPhone();
        }
    }

    @Test
    @Order(3)
    void plainPhoneCallsBrowserThroughTheRelay() throws Exception {
        try (Parties parties = new Parties("t18", "t19")) {
            Incoming incoming = parties.ring(RtpengineIT.PHONE_SDP);
            String offer = incoming.data().getString("sdp");
            assertTrue(offer.contains("UDP/TLS/RTP/SAVPF"), offer);
            assertTrue(offer.contains("a=ice-ufrag:") && offer.contains("a=fingerprint:"), offer);
            assertFalse(offer.contains("40000"), "not the phone's address: " + offer);

            String answer = SipPhone.body(parties.answer(incoming, RtpengineIT.BROWSER_ANSWER));
            assertTrue(answer.contains("RTP/AVP") && !answer.contains("SAVPF"), answer);
            assertFalse(answer.contains("a=ice-") || answer.contains("a=fingerprint"), answer);
            assertTrue(answer.contains("c=IN IP4 127.0.0.1") && answer.contains("a=sendrecv"),
                    "rtpengine's address, the browser's direction: " + answer);
            parties.awaitState(incoming.callId(), "ACTIVE");

            parties.phoneHangsUp(incoming.call(), incoming.callId());
            awaitNothingInRtpengine();
            parties.unregisterPhone();
        }
    }

    /** An ICE_CANDIDATE frame of the web client; a null candidate is its end-of-candidates. */
    private static String iceCandidate(String callId, String candidate, String mid, int index) {
        var data = Json.createObjectBuilder().add("callId", callId);
        if (candidate == null) {
            data.addNull("candidate");
        } else {
            data.add("candidate", Json.createObjectBuilder().add("candidate", candidate).add("sdpMid", mid).add("sdpMLineIndex", index));
        }
        return Json.createObjectBuilder().add("type", "ICE_CANDIDATE").add("data", data).build().toString();
    }

    private static String attribute(String sdp, String name) {
        return sdp.lines().filter(l -> l.startsWith("a=" + name + ":")).findFirst()
                .map(l -> l.substring(name.length() + 3).strip()).orElseThrow(() -> new AssertionError("a=" + name + " in " + sdp));
    }

    @Test
    @Order(2)
    void candidatesTheCallingBrowserTricklesReachRtpengineAndNeverThePhone() throws Exception {
        try (Parties parties = new Parties("t16", "t17");
             IceProbe candidate = new IceProbe()) {
            // the browser offers before it has gathered anything: no candidate, the placeholder address
            Placed placed = parties.place(RtpengineIT.TRICKLING_OFFER, 180, null);
            String callId = placed.callId();

            parties.socket.send(iceCandidate(callId, candidate.candidate("842163049"), "0", 0));
            IceProbe.Check ringing = candidate.awaitCheck(WAIT, RtpengineIT.BROWSER_OFFER_PWD)
                    .orElseThrow(() -> new AssertionError("rtpengine never checked the trickled candidate:\n" + rtpengine.log()));
            assertTrue(ringing.username().startsWith("Fq3c:"), "the browser's ufrag: " + ringing.username());
            assertTrue(ringing.integrityValid(), "signed with the browser's ICE password");
            parties.socket.send(iceCandidate(callId, null, null, 0));

            placed.call().respond(200, RtpengineIT.PHONE_SDP);
            String answer = parties.awaitState(callId, "ACTIVE").getString("sdp");
            IceProbe.Check active = candidate.awaitCheck(WAIT, RtpengineIT.BROWSER_OFFER_PWD).orElseThrow();
            assertEquals("Fq3c:" + attribute(answer, "ice-ufrag"), active.username(),
                    "rtpengine checks with the ufrag its answer gave the browser");
            assertEquals(Integer.parseInt(answer.replaceAll("(?s).*\r\nm=audio (\\d+) .*", "$1")), active.from().getPort(),
                    "from the port rtpengine's answer gave the browser");

            parties.browserHangsUp(callId);
            assertFalse(parties.phone.pendingMethods().contains("INFO"), "no candidate went to the phone: " + parties.phone.pendingMethods());
            awaitNothingInRtpengine();
            parties.unregisterPhone();
        }
    }

    @Test
    @Order(3)
    void candidatesTheAnsweringBrowserTricklesBeforeItsAnswerReachRtpengineOnlyAfterIt() throws Exception {
        try (Parties parties = new Parties("t18", "t19");
             IceProbe candidate = new IceProbe()) {
            Incoming incoming = parties.ring(RtpengineIT.PHONE_SDP);
            String offer = incoming.data().getString("sdp");
            String callId = incoming.callId();
            String mid = attribute(offer, "mid");

            // a browser gathers as soon as it has set its answer, before the answer reaches the gateway
            parties.socket.send(iceCandidate(callId, candidate.candidate("1"), mid, 0));
            assertTrue(candidate.awaitCheck(Duration.ofSeconds(1), RtpengineIT.BROWSER_ANSWER_PWD).isEmpty(),
                    "held while rtpengine has no SDP from the browser");
            client.ping(); // rtpengine 10.5 crashed on a fragment from a party it had no SDP from

            String browserAnswer = RtpengineIT.BROWSER_ANSWER.replace("a=mid:0", "a=mid:" + mid).replace("BUNDLE 0", "BUNDLE " + mid);
            parties.answer(incoming, browserAnswer);
            IceProbe.Check check = candidate.awaitCheck(WAIT, RtpengineIT.BROWSER_ANSWER_PWD)
                    .orElseThrow(() -> new AssertionError("the held candidate never reached rtpengine:\n" + rtpengine.log()));
            assertEquals("Zx9q:" + attribute(offer, "ice-ufrag"), check.username(),
                    "the browser's answer's ufrag : the ufrag rtpengine's offer gave the browser");
            assertTrue(check.integrityValid());
            parties.awaitState(callId, "ACTIVE");

            parties.phoneHangsUp(incoming.call(), callId);
            awaitNothingInRtpengine();
            parties.unregisterPhone();
        }
    }

    /** A browser's answer to rtpengine's WebRTC audio and video offer: audio as {@link RtpengineIT#BROWSER_ANSWER}, video H264. */
    private static final String BROWSER_VIDEO_ANSWER = RtpengineIT.BROWSER_ANSWER + String.join("\r\n",
            "m=video 9 UDP/TLS/RTP/SAVPF 99",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Zx9q",
            "a=ice-pwd:t0pS3cr3tt0pS3cr3tt0pS3c",
            "a=fingerprint:sha-256 1A:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:active",
            "a=mid:1",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:99 H264/90000",
            "a=fmtp:99 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "");

    @Test
    @Order(3)
    void plainVideoPhoneCallsBrowserThroughTheRelayAndTheVideoLineSurvives() throws Exception {
        try (Parties parties = new Parties("v1", "v3")) {
            Incoming incoming = parties.ring(RtpengineIT.PHONE_VIDEO_SDP);
            assertEquals("VIDEO", incoming.data().getString("type"), "the phone's plain offer has video");
            String offer = incoming.data().getString("sdp");
            assertTrue(offer.matches("(?s).*\r\nm=video \\d+ UDP/TLS/RTP/SAVPF 99\r\n.*"), "WebRTC video for the browser: " + offer);
            assertTrue(offer.contains("a=rtpmap:99 H264/90000"), offer);
            assertFalse(offer.contains("40002"), "not the phone's video port: " + offer);
            String callId = incoming.callId();

            String answer = SipPhone.body(parties.answer(incoming, BROWSER_VIDEO_ANSWER));
            assertTrue(answer.matches("(?s).*\r\nm=video 30[5-9]\\d\\d RTP/AVP 99\r\n.*"), "plain video at rtpengine for the phone: " + answer);
            assertTrue(answer.contains("a=rtpmap:99 H264/90000") && !answer.contains("SAVPF") && !answer.contains("a=fingerprint"), answer);
            parties.awaitState(callId, "ACTIVE");
            assertEquals("VIDEO", parties.api.get("/api/calls/" + callId, parties.browser).data().getString("type"));

            parties.phoneHangsUp(incoming.call(), callId);
            awaitNothingInRtpengine();
            parties.unregisterPhone();
        }
    }

    @Test
    @Order(4)
    void aCallAnchoredWhenTheGatewayDiesIsDeletedFromRtpengineAtTheNextStart() throws Exception {
        String callId;
        try (Parties parties = new Parties("t16", "t17")) {
            Placed placed = parties.place(RtpengineIT.BROWSER_OFFER, 180, null);
            callId = placed.callId();
            placed.call().respond(200, RtpengineIT.PHONE_SDP);
            parties.awaitState(callId, "ACTIVE");
            assertEquals(1, client.list(100).size(), "the call is anchored");

            gateway.kill(); // no BYE, no delete: the media stays in rtpengine
        }
        assertEquals(1, client.list(100).size(), "a crash leaves the media in rtpengine");

        gateway = startGateway();
        awaitNothingInRtpengine();
        Api restarted = gateway.api();
        String again = restarted.login(uri("t16"));
        assertEquals("FAILED", restarted.get("/api/calls/" + callId, again).data().getString("state"));
        assertEquals(200, restarted.post("/api/auth/logout", null, again).status());
    }

    @Test
    @Order(5)
    void withRtpengineDownPlacingIsSipErrorAndLeavesNoTrace() throws Exception {
        rtpengine.close();
        try (Parties parties = new Parties("t20", "t17")) {
            Api api = parties.api;
            String browser = parties.browser;
            Api.Result refused = api.post("/api/calls", Json.createObjectBuilder().add("to", uri("t17")).add("type", "AUDIO")
                    .add("sdp", RtpengineIT.BROWSER_OFFER).build().toString(), browser);
            assertEquals("SIP_ERROR", refused.errorCode(), refused.body());
            assertEquals(0, api.get("/api/calls/history", browser).data().getJsonNumber("totalElements").longValue(),
                    "no call stored");
            assertEquals(0, api.gauge("sipgw_calls_live"), 0.0);
            assertTrue(parties.socket.drain().stream().noneMatch(f -> "CALL_STATE_CHANGED".equals(f.getString("type"))),
                    "no socket event for a callId the POST never returned");
            parties.unregisterPhone();
        }
    }
}
