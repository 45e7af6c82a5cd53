package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.media.MediaPolicy;
import io.sipgw.media.MediaPolicy.Answerer;
import io.sipgw.media.MediaPolicy.Outcome;
import org.junit.jupiter.api.Test;

/** How calls use the media policy: the decisions CallControl and Legs act on, without a relay and with one. */
class MediaBridgeTest {

    static final String PLAIN = String.join("\r\n", "v=0", "o=phone 1 1 IN IP4 127.0.0.1", "s=call",
            "c=IN IP4 127.0.0.1", "t=0 0", "m=audio 40000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "");

    private final MediaBridge none = MediaBridge.of(new MediaPolicy(false, MediaPolicy.Anchoring.WEBRTC_TO_PLAIN));
    private final MediaBridge relay = MediaBridge.of(new MediaPolicy(true, MediaPolicy.Anchoring.WEBRTC_TO_PLAIN));

    @Test
    void withoutRelayABrowserCallingAKnownPhoneIsRefusedAndAnUnknownOneTried() {
        assertEquals(Outcome.REFUSE, none.plan(SdpTest.CHROME_OFFER, Answerer.PLAIN).outcome());
        assertEquals(Outcome.DIRECT, none.plan(SdpTest.CHROME_OFFER, Answerer.UNKNOWN).outcome());
        assertEquals(Outcome.DIRECT, none.plan(SdpTest.CHROME_OFFER, Answerer.WEBRTC).outcome());
    }

    @Test
    void withRelayBrowserToPhoneAndPhoneToBrowserAreAnchoredBrowserToBrowserIsNot() {
        assertTrue(relay.plan(SdpTest.CHROME_OFFER, Answerer.PLAIN).anchored());
        assertTrue(relay.plan(SdpTest.CHROME_OFFER, Answerer.UNKNOWN).anchored());
        assertTrue(relay.plan(PLAIN, Answerer.WEBRTC).anchored());
        assertFalse(relay.plan(SdpTest.CHROME_OFFER, Answerer.WEBRTC).anchored());
    }

    @Test
    void aDirectCallWhoseAnswerSpeaksSomethingElseDoesNotFit() {
        MediaPolicy.Plan browserOffer = none.plan(SdpTest.CHROME_OFFER, Answerer.UNKNOWN);
        assertTrue(MediaBridge.fits(browserOffer, CallsIT.ANSWER));
        assertFalse(MediaBridge.fits(browserOffer, PLAIN), "a plain answer to a WebRTC offer connects in silence");
        MediaPolicy.Plan phoneOffer = none.plan(PLAIN, Answerer.UNKNOWN);
        assertFalse(MediaBridge.fits(phoneOffer, CallsIT.ANSWER));
        assertFalse(MediaBridge.fits(phoneOffer, "not sdp"));
    }

    @Test
    void sdpThePolicyCannotReadFlowsEndToEndAsBefore() {
        assertSame(Leg.DIRECT, none.plan("v=0\r\nm=audio 0 RTP/AVP 0\r\n", Answerer.PLAIN));
        assertFalse(Leg.DIRECT.anchored());
    }
}
