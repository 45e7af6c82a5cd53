package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.media.MediaPolicy.Anchoring;
import io.sipgw.media.MediaPolicy.Answerer;
import io.sipgw.media.MediaPolicy.Kind;
import io.sipgw.media.MediaPolicy.Outcome;
import io.sipgw.media.MediaPolicy.Plan;
import org.junit.jupiter.api.Test;

class MediaPolicyTest {

    /** An audio offer as Chromium makes it (trimmed): ICE and the DTLS fingerprint at media level. */
    static final String BROWSER_OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=msid-semantic: WMS stream",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0 8 126",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Ad7v",
            "a=ice-pwd:bXk1cTJ4ZmxkZ3lqbmxsYWFz",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 4F:1C:3B:53:0E:A4:7C:2A:14:8B:EF:5E:CB:6D:F0:4C:15:4A:42:01:1C:4E:44:0D:D4:9E:39:6C:7F:B3:F8:11",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:126 telephone-event/8000",
            "");

    /** What a desk phone or baresip without ICE sends. */
    static final String PHONE_OFFER = String.join("\r\n",
            "v=0",
            "o=phone 1 1 IN IP4 127.0.0.1",
            "s=-",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "m=audio 40000 RTP/AVP 0 8 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=sendrecv",
            "");

    static final MediaPolicy NO_RELAY = new MediaPolicy(false, Anchoring.WEBRTC_TO_PLAIN);
    static final MediaPolicy RELAY = new MediaPolicy(true, Anchoring.WEBRTC_TO_PLAIN);
    static final MediaPolicy RELAY_ALWAYS = new MediaPolicy(true, Anchoring.ALWAYS);

    // --- what an SDP speaks ---

    @Test
    void browserOfferIsWebRtc() {
        assertEquals(Kind.WEBRTC, MediaPolicy.kindOf(BROWSER_OFFER));
        assertEquals(Kind.WEBRTC, MediaPolicy.kindOf(BROWSER_OFFER.replace("\r\n", "\n")));
    }

    @Test
    void plainRtpAvpIsPlain() {
        assertEquals(Kind.PLAIN, MediaPolicy.kindOf(PHONE_OFFER));
    }

    @Test
    void iceAndFingerprintAtSessionLevelCountForEveryMediaLine() {
        String sessionLevel = String.join("\r\n",
                "v=0",
                "o=- 1 1 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "a=ice-ufrag:Ad7v",
                "a=ice-pwd:bXk1cTJ4ZmxkZ3lqbmxsYWFz",
                "a=fingerprint:sha-256 4F:1C:3B:53:0E:A4:7C:2A:14:8B:EF:5E:CB:6D:F0:4C:15:4A:42:01:1C:4E:44:0D:D4:9E:39:6C:7F:B3:F8:11",
                "m=audio 40000 UDP/TLS/RTP/SAVPF 0",
                "c=IN IP4 127.0.0.1",
                "m=video 40002 UDP/TLS/RTP/SAVPF 96",
                "c=IN IP4 127.0.0.1",
                "a=rtpmap:96 VP8/90000",
                "");
        assertEquals(Kind.WEBRTC, MediaPolicy.kindOf(sessionLevel));
    }

    @Test
    void iceWithoutDtlsIsNotWebRtc() {
        // baresip with medianat=ice: ICE candidates but plain RTP, which a browser refuses
        String iceOnly = PHONE_OFFER.replace("a=sendrecv",
                "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=sendrecv");
        assertEquals(Kind.PLAIN, MediaPolicy.kindOf(iceOnly));
    }

    @Test
    void sdesSrtpWithoutIceIsNotWebRtc() {
        String sdes = PHONE_OFFER.replace("RTP/AVP", "RTP/SAVP").replace("a=sendrecv",
                "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\na=sendrecv");
        assertEquals(Kind.PLAIN, MediaPolicy.kindOf(sdes));
    }

    @Test
    void oneMediaLineWithoutDtlsMakesTheWholeOfferPlain() {
        String mixed = BROWSER_OFFER + "m=video 40002 RTP/AVP 96\r\nc=IN IP4 127.0.0.1\r\na=rtpmap:96 VP8/90000\r\n";
        assertEquals(Kind.PLAIN, MediaPolicy.kindOf(mixed));
    }

    @Test
    void rejectedMediaLinesAreIgnored() {
        String withRejectedVideo = BROWSER_OFFER + "m=video 0 RTP/AVP 96\r\n";
        assertEquals(Kind.WEBRTC, MediaPolicy.kindOf(withRejectedVideo));
    }

    @Test
    void sdpWithoutActiveMediaIsRefused() {
        String none = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MediaPolicy.kindOf(none));
        assertEquals("SDP has no active m= line", e.getMessage());
        String noMedia = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        assertThrows(IllegalArgumentException.class, () -> MediaPolicy.kindOf(noMedia));
    }

    @Test
    void missingGarbageAndOversizedSdpAreRefusedWithAClearMessage() {
        assertEquals("SDP is required",
                assertThrows(IllegalArgumentException.class, () -> MediaPolicy.kindOf(null)).getMessage());
        assertEquals("SDP is required",
                assertThrows(IllegalArgumentException.class, () -> MediaPolicy.kindOf(" \r\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MediaPolicy.kindOf("hello world"))
                .getMessage().startsWith("not parsable SDP"));
        String huge = BROWSER_OFFER + "a=x:" + "y".repeat(MediaPolicy.MAX_SDP_LENGTH) + "\r\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MediaPolicy.kindOf(huge))
                .getMessage().startsWith("SDP is longer than"));
    }

    // --- the decision, default policy (webrtc-to-plain) ---

    @Test
    void browserCallingPhoneIsAnchoredWithARelay() {
        Plan plan = RELAY.forOffer(BROWSER_OFFER, Answerer.PLAIN);
        assertEquals(new Plan(Outcome.ANCHOR, Kind.WEBRTC, Kind.PLAIN), plan);
        assertTrue(plan.anchored());
    }

    @Test
    void phoneCallingBrowserIsAnchoredWithARelay() {
        assertEquals(new Plan(Outcome.ANCHOR, Kind.PLAIN, Kind.WEBRTC), RELAY.forOffer(PHONE_OFFER, Answerer.WEBRTC));
    }

    @Test
    void browserCallingAnUnknownSipUriIsAnchoredAsIfAPhone() {
        assertEquals(new Plan(Outcome.ANCHOR, Kind.WEBRTC, Kind.PLAIN), RELAY.forOffer(BROWSER_OFFER, Answerer.UNKNOWN));
    }

    @Test
    void browserToBrowserAndPhoneToPhoneFlowDirect() {
        assertEquals(Outcome.DIRECT, RELAY.forOffer(BROWSER_OFFER, Answerer.WEBRTC).outcome());
        assertEquals(Outcome.DIRECT, RELAY.forOffer(PHONE_OFFER, Answerer.PLAIN).outcome());
        assertEquals(Outcome.DIRECT, RELAY.forOffer(PHONE_OFFER, Answerer.UNKNOWN).outcome());
        assertFalse(RELAY.forOffer(BROWSER_OFFER, Answerer.WEBRTC).anchored());
    }

    @Test
    void alwaysAnchorsEveryCallWhenThereIsARelay() {
        assertEquals(new Plan(Outcome.ANCHOR, Kind.WEBRTC, Kind.WEBRTC),
                RELAY_ALWAYS.forOffer(BROWSER_OFFER, Answerer.WEBRTC));
        assertEquals(new Plan(Outcome.ANCHOR, Kind.PLAIN, Kind.PLAIN), RELAY_ALWAYS.forOffer(PHONE_OFFER, Answerer.PLAIN));
        assertEquals(Outcome.ANCHOR, RELAY_ALWAYS.forOffer(BROWSER_OFFER, Answerer.PLAIN).outcome());
    }

    // --- without a relay ---

    @Test
    void withoutARelayAKnownMismatchIsRefused() {
        assertEquals(new Plan(Outcome.REFUSE, Kind.WEBRTC, Kind.PLAIN), NO_RELAY.forOffer(BROWSER_OFFER, Answerer.PLAIN));
        assertEquals(new Plan(Outcome.REFUSE, Kind.PLAIN, Kind.WEBRTC), NO_RELAY.forOffer(PHONE_OFFER, Answerer.WEBRTC));
        // `always` cannot anchor without a relay either
        MediaPolicy alwaysWithoutRelay = new MediaPolicy(false, Anchoring.ALWAYS);
        assertEquals(Outcome.REFUSE, alwaysWithoutRelay.forOffer(BROWSER_OFFER, Answerer.PLAIN).outcome());
        assertEquals(Outcome.DIRECT, alwaysWithoutRelay.forOffer(BROWSER_OFFER, Answerer.WEBRTC).outcome());
    }

    @Test
    void withoutARelayMatchingSidesAndUnknownAnswerersGoDirect() {
        assertEquals(Outcome.DIRECT, NO_RELAY.forOffer(BROWSER_OFFER, Answerer.WEBRTC).outcome());
        assertEquals(Outcome.DIRECT, NO_RELAY.forOffer(PHONE_OFFER, Answerer.PLAIN).outcome());
        assertEquals(Outcome.DIRECT, NO_RELAY.forOffer(BROWSER_OFFER, Answerer.UNKNOWN).outcome());
    }

    // --- the answer of a direct call ---

    @Test
    void aWebRtcAnswerToAPlainOfferDoesNotFitADirectCall() {
        String browserAnswer = BROWSER_OFFER.replace("a=setup:actpass", "a=setup:active");
        Plan direct = NO_RELAY.forOffer(PHONE_OFFER, Answerer.UNKNOWN);
        assertFalse(MediaPolicy.answerFits(direct, browserAnswer));
        assertTrue(MediaPolicy.answerFits(direct, PHONE_OFFER));
    }

    @Test
    void aPlainAnswerToAWebRtcOfferDoesNotFitADirectCall() {
        Plan direct = NO_RELAY.forOffer(BROWSER_OFFER, Answerer.UNKNOWN);
        assertFalse(MediaPolicy.answerFits(direct, PHONE_OFFER));
        assertTrue(MediaPolicy.answerFits(direct, BROWSER_OFFER.replace("a=setup:actpass", "a=setup:active")));
    }

    @Test
    void anyAnswerFitsAnAnchoredCall() {
        Plan anchored = RELAY.forOffer(BROWSER_OFFER, Answerer.PLAIN);
        assertTrue(MediaPolicy.answerFits(anchored, PHONE_OFFER));
        assertTrue(MediaPolicy.answerFits(anchored, BROWSER_OFFER));
    }

    // --- the setting ---

    @Test
    void anchoringSettingIsReadCaseInsensitivelyWithTheDefaultForEmpty() {
        assertEquals(Anchoring.WEBRTC_TO_PLAIN, Anchoring.of(null));
        assertEquals(Anchoring.WEBRTC_TO_PLAIN, Anchoring.of(" "));
        assertEquals(Anchoring.WEBRTC_TO_PLAIN, Anchoring.of("webrtc-to-plain"));
        assertEquals(Anchoring.ALWAYS, Anchoring.of(" Always "));
        assertEquals("always", Anchoring.ALWAYS.setting());
    }

    @Test
    void unknownAnchoringSettingNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Anchoring.of("sometimes"));
        assertEquals("sipgw.media.anchor must be webrtc-to-plain or always, not 'sometimes'", e.getMessage());
    }
}
