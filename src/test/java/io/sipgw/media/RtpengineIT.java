package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.IceProbe;
import io.sipgw.testing.Rtpengine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ng client against the real rtpengine (Debian rtpengine-daemon 10.5, userspace, loopback): a
 * browser's WebRTC offer becomes plain RTP/AVP for a phone, the phone's answer becomes WebRTC for the
 * browser, the reverse direction too, and a deleted call is gone.
 */
class RtpengineIT {

    /** What Chromium offers for one audio track (trimmed): ICE, DTLS, rtcp-mux, BUNDLE, opus/G.711. */
    static final String BROWSER_OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS stream",
            "m=audio 50000 UDP/TLS/RTP/SAVPF 111 0 8 126",
            "c=IN IP4 127.0.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0",
            "a=ice-ufrag:Fq3c",
            "a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendrecv",
            "a=msid:stream track",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:126 telephone-event/8000",
            "a=ssrc:1001 cname:browser",
            "");

    /** A desk phone: plain RTP/AVP, G.711 and DTMF events, RTCP on the next port. */
    static final String PHONE_SDP = String.join("\r\n",
            "v=0",
            "o=phone 8000 8000 IN IP4 127.0.0.1",
            "s=call",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=audio 40000 RTP/AVP 0 8 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=sendrecv",
            "");

    /**
     * The browser's answer to a phone's offer (after rtpengine made it WebRTC), as a trickling browser
     * sends it: no candidates yet, port 9 and the zero address.
     */
    static final String BROWSER_ANSWER = String.join("\r\n",
            "v=0",
            "o=- 2 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 0 101",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Zx9q",
            "a=ice-pwd:t0pS3cr3tt0pS3cr3tt0pS3c",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 1A:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:active",
            "a=mid:0",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:101 telephone-event/8000",
            "");

    /** {@link #BROWSER_OFFER} with a camera: a video section in the same BUNDLE, VP8, VP9 and H264. */
    static final String BROWSER_VIDEO_OFFER = BROWSER_OFFER.replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + String.join("\r\n",
            "m=video 50000 UDP/TLS/RTP/SAVPF 96 97 98 102 103",
            "c=IN IP4 127.0.0.1",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0",
            "a=ice-ufrag:Fq3c",
            "a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:actpass",
            "a=mid:1",
            "a=sendrecv",
            "a=msid:stream video-track",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack pli",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rtpmap:98 VP9/90000",
            "a=fmtp:98 profile-id=0",
            "a=rtpmap:102 H264/90000",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:103 rtx/90000",
            "a=fmtp:103 apt=102",
            "a=ssrc:2002 cname:browser",
            "");

    /** A SIP video phone: {@link #PHONE_SDP} plus plain RTP/AVP video with H264 only (as most desk video phones). */
    static final String PHONE_VIDEO_SDP = PHONE_SDP + String.join("\r\n",
            "m=video 40002 RTP/AVP 99",
            "a=rtpmap:99 H264/90000",
            "a=fmtp:99 profile-level-id=42e01f;packetization-mode=1",
            "a=sendrecv",
            "");

    /** {@link #BROWSER_OFFER} as a browser sends it before gathering: no candidate, the placeholder address and port 9. */
    static final String TRICKLING_OFFER = BROWSER_OFFER.replace("m=audio 50000 ", "m=audio 9 ")
            .replace("c=IN IP4 127.0.0.1\r\n", "c=IN IP4 0.0.0.0\r\n")
            .replace("a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0\r\n", "");
    static final String BROWSER_OFFER_PWD = "b6kN0mWqgN3jXo9G1kUFW6nS";
    static final String BROWSER_ANSWER_PWD = "t0pS3cr3tt0pS3cr3tt0pS3c";
    private static final Duration CHECK_WAIT = Duration.ofSeconds(5);

    private static Rtpengine rtpengine;
    private static NgClient client;

    @BeforeAll
    static void start() {
        rtpengine = Rtpengine.start("ng-client", 30000, 30499);
        client = new NgClient(rtpengine.ng(), Duration.ofSeconds(2), 1);
    }

    @AfterAll
    static void stop() {
        if (rtpengine != null) {
            rtpengine.close();
        }
    }

    @Test
    void answersPing() {
        client.ping();
    }

    @Test
    void browserCallsPhoneThroughTheRelayAndDeleteLeavesNothing() {
        String callId = "it-" + UUID.randomUUID();

        String toPhone = client.offer(callId, "browser-tag", BROWSER_OFFER, BridgeFlags.towardsPlainRtp())
                .sdp().orElseThrow();
        int relayPhoneSide = plainRtpAvp(toPhone);
        assertTrue(toPhone.contains("a=rtpmap:0 PCMU/8000\r\n") && toPhone.contains("a=rtpmap:8 PCMA/8000\r\n"),
                "G.711 reaches the phone:\n" + toPhone);
        assertTrue(toPhone.contains("telephone-event/8000"), "DTMF events reach the phone:\n" + toPhone);

        String toBrowser = client.answer(callId, "browser-tag", "phone-tag", PHONE_SDP, BridgeFlags.towardsWebRtc())
                .sdp().orElseThrow();
        int relayBrowserSide = webRtc(toBrowser, "passive");
        assertTrue(toBrowser.contains("a=rtpmap:0 PCMU/8000\r\n"), "the phone's PCMU reaches the browser:\n" + toBrowser);
        assertNotEquals(relayPhoneSide, relayBrowserSide, "one port towards each side");

        NgReply query = client.query(callId);
        Map<String, Object> tags = query.dictionary("tags").orElseThrow();
        assertTrue(tags.containsKey("browser-tag") && tags.containsKey("phone-tag"), "both parties: " + tags.keySet());
        assertTrue(client.list(1000).contains(callId));

        client.delete(callId);
        assertFalse(client.list(1000).contains(callId), "the call is gone from rtpengine's list");
        NgException gone = assertThrows(NgException.class, () -> client.query(callId));
        assertEquals(NgException.Kind.REFUSED, gone.kind());
        assertEquals("Unknown call-id", gone.reason());
    }

    @Test
    void phoneCallsBrowserThroughTheRelay() {
        String callId = "it-" + UUID.randomUUID();
        String toBrowser = client.offer(callId, "phone-tag", PHONE_SDP, BridgeFlags.towardsWebRtc())
                .sdp().orElseThrow();
        // in an offer rtpengine leaves the DTLS role to the browser
        webRtc(toBrowser, "actpass");
        assertTrue(toBrowser.contains("a=mid:"), "a mid for the browser:\n" + toBrowser);

        String toPhone = client.answer(callId, "phone-tag", "browser-tag", BROWSER_ANSWER,
                BridgeFlags.towardsPlainRtp()).sdp().orElseThrow();
        plainRtpAvp(toPhone);
        assertTrue(toPhone.contains("a=rtpmap:0 PCMU/8000\r\n"), toPhone);

        client.delete(callId);
        assertFalse(client.list(1000).contains(callId));
    }

    @Test
    void videoSectionCrossesTheRelayBothWaysWithItsCodecs() {
        String callId = "it-" + UUID.randomUUID();
        String toPhone = client.offer(callId, "browser-tag", BROWSER_VIDEO_OFFER, BridgeFlags.towardsPlainRtp())
                .sdp().orElseThrow();
        plainRtpAvp(toPhone);
        String phoneVideo = section(toPhone, "video");
        Matcher m = Pattern.compile("(?m)^m=video (\\d+) RTP/AVP [0-9 ]+$").matcher(phoneVideo);
        assertTrue(m.find(), "plain RTP/AVP video for the phone:\n" + toPhone);
        int videoPort = Integer.parseInt(m.group(1));
        assertTrue(videoPort >= 30000 && videoPort <= 30499, "rtpengine's port for video:\n" + toPhone);
        assertTrue(phoneVideo.contains("a=rtpmap:96 VP8/90000\r\n") && phoneVideo.contains("a=rtpmap:102 H264/90000\r\n"),
                "the browser's VP8 and H264 reach the phone:\n" + toPhone);
        assertFalse(phoneVideo.contains("PCMU") || phoneVideo.contains("PCMA"), "audio transcoding stays in the audio section:\n" + toPhone);
        assertFalse(phoneVideo.contains("a=ice-") || phoneVideo.contains("a=fingerprint") || phoneVideo.contains("a=rtcp-mux"),
                "video is plain RTP/AVP too:\n" + toPhone);

        String toBrowser = client.answer(callId, "browser-tag", "phone-tag", PHONE_VIDEO_SDP, BridgeFlags.towardsWebRtc())
                .sdp().orElseThrow();
        webRtc(toBrowser, "passive");
        String browserVideo = section(toBrowser, "video");
        assertTrue(Pattern.compile("^m=video \\d+ UDP/TLS/RTP/SAVPF 99\r\n").matcher(browserVideo).find(),
                "the phone's H264 comes back as WebRTC video:\n" + toBrowser);
        assertTrue(browserVideo.contains("a=rtpmap:99 H264/90000\r\n") && browserVideo.contains("a=setup:passive\r\n")
                && browserVideo.contains("a=ice-ufrag:") && browserVideo.contains("a=rtcp-mux\r\n"), toBrowser);
        assertFalse(toBrowser.contains("a=group:BUNDLE"), "rtpengine 10.5 answers unbundled: one port per m-line"
                + " (a browser with the default bundlePolicy 'balanced' accepts that):\n" + toBrowser);
        client.delete(callId);

        String reverse = "it-" + UUID.randomUUID();
        String offerToBrowser = client.offer(reverse, "phone-tag", PHONE_VIDEO_SDP, BridgeFlags.towardsWebRtc()).sdp().orElseThrow();
        webRtc(offerToBrowser, "actpass");
        assertTrue(section(offerToBrowser, "video").contains("a=rtpmap:99 H264/90000\r\n")
                && section(offerToBrowser, "video").contains("a=mid:"), "a phone's video offer reaches the browser:\n" + offerToBrowser);
        client.delete(reverse);
    }

    @Test
    void aTrickledCandidateOfTheBrowserGetsRtpenginesIceChecksWithTheBrowsersCredentials() {
        String callId = "it-" + UUID.randomUUID();
        assertFalse(TRICKLING_OFFER.contains("a=candidate") || TRICKLING_OFFER.contains("50000"), TRICKLING_OFFER);
        client.offer(callId, "browser-tag", TRICKLING_OFFER, BridgeFlags.towardsPlainRtp());
        try (IceProbe browser = new IceProbe()) {
            assertTrue(browser.awaitCheck(Duration.ofMillis(700), BROWSER_OFFER_PWD).isEmpty(),
                    "no check before rtpengine has the candidate");
            TrickleFragment fragment = TrickleFragment.of(TRICKLING_OFFER).orElseThrow();
            assertTrue(fragment.add(browser.candidate("842163049"), "0", 0));
            // before the phone answers: rtpengine has the browser's offer, so it takes the fragment
            assertEquals("ok", client.fragment(callId, "browser-tag", null, fragment.text()).result());
            IceProbe.Check check = browser.awaitCheck(CHECK_WAIT, BROWSER_OFFER_PWD)
                    .orElseThrow(() -> new AssertionError("no ICE check from rtpengine:\n" + rtpengine.log()));

            String toBrowser = client.answer(callId, "browser-tag", "phone-tag", PHONE_SDP, BridgeFlags.towardsWebRtc())
                    .sdp().orElseThrow();
            int relayBrowserSide = webRtc(toBrowser, "passive");
            assertEquals("Fq3c:" + attribute(toBrowser, "ice-ufrag"), check.username(),
                    "browser's ufrag : rtpengine's ufrag, as rtpengine's answer gives the browser");
            assertTrue(check.integrityValid(), "signed with the browser's ICE password");
            assertEquals(relayBrowserSide, check.from().getPort(), "from rtpengine's port towards the browser");

            fragment.add("", "0", 0);
            client.fragment(callId, "browser-tag", null, fragment.text());
            assertTrue(browser.awaitCheck(CHECK_WAIT, BROWSER_OFFER_PWD).isPresent(),
                    "end-of-candidates (with the candidates so far) leaves rtpengine's checks running");
        } finally {
            client.delete(callId);
        }
        client.ping(); // still there
    }

    @Test
    void eachVideoAndAudioCandidateOfTheAnsweringBrowserReachesOnlyItsOwnStream() {
        String callId = "it-" + UUID.randomUUID();
        String toBrowser = client.offer(callId, "phone-tag", PHONE_VIDEO_SDP, BridgeFlags.towardsWebRtc()).sdp().orElseThrow();
        String audioMid = attribute(section(toBrowser, "audio"), "mid");
        String videoMid = attribute(section(toBrowser, "video"), "mid");
        int audioPort = port(toBrowser, "audio");
        int videoPort = port(toBrowser, "video");
        String answer = (BROWSER_ANSWER.replace("a=group:BUNDLE 0", "a=group:BUNDLE " + audioMid + " " + videoMid)
                .replace("a=mid:0", "a=mid:" + audioMid)) + String.join("\r\n",
                "m=video 9 UDP/TLS/RTP/SAVPF 99",
                "c=IN IP4 0.0.0.0",
                "a=ice-ufrag:Zx9q",
                "a=ice-pwd:" + BROWSER_ANSWER_PWD,
                "a=ice-options:trickle",
                "a=fingerprint:sha-256 1A:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
                "a=setup:active",
                "a=mid:" + videoMid,
                "a=sendrecv",
                "a=rtcp-mux",
                "a=rtpmap:99 H264/90000",
                "");
        client.answer(callId, "phone-tag", "browser-tag", answer, BridgeFlags.towardsPlainRtp());
        try (IceProbe audio = new IceProbe(); IceProbe video = new IceProbe()) {
            TrickleFragment fragment = TrickleFragment.of(answer).orElseThrow();
            assertTrue(fragment.add(video.candidate("2"), videoMid, 1));
            // the answerer's fragment names the offerer as to-tag: rtpengine has both parties
            client.fragment(callId, "browser-tag", "phone-tag", fragment.text());
            IceProbe.Check videoCheck = video.awaitCheck(CHECK_WAIT, BROWSER_ANSWER_PWD)
                    .orElseThrow(() -> new AssertionError("no check on video:\n" + rtpengine.log()));
            assertEquals(videoPort, videoCheck.from().getPort(), "from rtpengine's video port");
            assertEquals("Zx9q:" + attribute(section(toBrowser, "video"), "ice-ufrag"), videoCheck.username());
            assertTrue(videoCheck.integrityValid());

            assertTrue(fragment.add(audio.candidate("1"), audioMid, 0));
            client.fragment(callId, "browser-tag", "phone-tag", fragment.text());
            IceProbe.Check audioCheck = audio.awaitCheck(CHECK_WAIT, BROWSER_ANSWER_PWD).orElseThrow();
            assertEquals(audioPort, audioCheck.from().getPort(), "the audio candidate is checked from rtpengine's audio port");
            // whatever reached the video probe since came from the video port only
            for (var more = video.awaitCheck(Duration.ofMillis(600), BROWSER_ANSWER_PWD); more.isPresent();
                    more = video.awaitCheck(Duration.ofMillis(300), BROWSER_ANSWER_PWD)) {
                assertEquals(videoPort, more.get().from().getPort(), "the video candidate is never checked from the audio port");
            }
        } finally {
            client.delete(callId);
        }
    }

    private static String attribute(String sdp, String name) {
        Matcher m = Pattern.compile("(?m)^a=" + name + ":(\\S+)").matcher(sdp);
        assertTrue(m.find(), "a=" + name + " in\n" + sdp);
        return m.group(1);
    }

    private static int port(String sdp, String media) {
        Matcher m = Pattern.compile("(?m)^m=" + media + " (\\d+) ").matcher(sdp);
        assertTrue(m.find(), "m=" + media + " in\n" + sdp);
        return Integer.parseInt(m.group(1));
    }

    /** The text of the first m= section of this media type, up to the next m= line. */
    private static String section(String sdp, String media) {
        int start = sdp.indexOf("m=" + media + " ");
        assertTrue(start >= 0, "an m=" + media + " line:\n" + sdp);
        int end = sdp.indexOf("\r\nm=", start);
        return end < 0 ? sdp.substring(start) : sdp.substring(start, end + 2);
    }

    @Test
    void refusalsCarryRtpenginesReason() {
        NgException unknown = assertThrows(NgException.class, () -> client.query("it-no-such-call"));
        assertEquals(NgException.Kind.REFUSED, unknown.kind());
        assertEquals("Unknown call-id", unknown.reason());
        NgException bad = assertThrows(NgException.class,
                () -> client.send(Map.of("command", "no such command"), "ok"));
        assertEquals(NgException.Kind.REFUSED, bad.kind());
        assertEquals("Unrecognized command", bad.reason());
        assertTrue(client.delete("it-no-such-call").warning().isPresent(), "deleting an unknown call only warns");
    }

    /** Asserts a plain RTP/AVP audio section at rtpengine on loopback; returns its port. */
    private static int plainRtpAvp(String sdp) {
        Matcher m = Pattern.compile("(?m)^m=audio (\\d+) RTP/AVP [0-9 ]+$").matcher(sdp);
        assertTrue(m.find(), "plain RTP/AVP audio:\n" + sdp);
        int port = Integer.parseInt(m.group(1));
        assertTrue(port >= 30000 && port <= 30499, "rtpengine's media port, not the browser's:\n" + sdp);
        assertTrue(sdp.contains("c=IN IP4 127.0.0.1\r\n"), "rtpengine's address, never 0.0.0.0:\n" + sdp);
        assertTrue(sdp.contains("a=sendrecv\r\n"), "sendrecv, not hold:\n" + sdp);
        assertTrue(sdp.contains("a=rtcp:" + (port + 1)), "RTCP on its own port (rtcp-mux demuxed):\n" + sdp);
        for (String gone : List.of("a=ice-ufrag", "a=ice-pwd", "a=candidate", "a=fingerprint", "a=setup",
                "a=rtcp-mux", "a=crypto", "a=group:BUNDLE")) {
            assertFalse(sdp.contains(gone), gone + " removed:\n" + sdp);
        }
        return port;
    }

    /** Asserts a WebRTC audio section with rtpengine as the only ICE candidate; returns its port. */
    private static int webRtc(String sdp, String setup) {
        Matcher m = Pattern.compile("(?m)^m=audio (\\d+) UDP/TLS/RTP/SAVPF [0-9 ]+$").matcher(sdp);
        assertTrue(m.find(), "UDP/TLS/RTP/SAVPF audio:\n" + sdp);
        int port = Integer.parseInt(m.group(1));
        assertTrue(port >= 30000 && port <= 30499, "rtpengine's media port:\n" + sdp);
        for (String present : List.of("a=rtcp-mux\r\n", "a=setup:" + setup + "\r\n", "a=fingerprint:sha-256 ",
                "a=ice-ufrag:", "a=ice-pwd:", "c=IN IP4 127.0.0.1\r\n")) {
            assertTrue(sdp.contains(present), present.strip() + " present:\n" + sdp);
        }
        Matcher candidates = Pattern.compile("(?m)^a=candidate:\\S+ 1 UDP \\d+ (\\S+) (\\d+) typ host").matcher(sdp);
        assertTrue(candidates.find(), "a host candidate:\n" + sdp);
        assertEquals("127.0.0.1", candidates.group(1));
        assertEquals(port, Integer.parseInt(candidates.group(2)), "rtpengine is the candidate");
        assertFalse(sdp.contains("a=crypto"), "no SDES:\n" + sdp);
        assertFalse(sdp.contains("50000") || sdp.contains("40000"), "no party's own address leaks:\n" + sdp);
        return port;
    }
}
