package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import org.junit.jupiter.api.Test;

public class SdpTest {

    /** An audio offer as Chromium makes it (trimmed). */
    public static final String CHROME_OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "a=extmap-allow-mixed",
            "a=msid-semantic: WMS stream",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
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
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=rtpmap:0 PCMU/8000",
            "") ;

    /** An audio and video offer as Chromium makes it with a camera (trimmed): one BUNDLE, VP8, VP9 and H264. */
    public static final String CHROME_VIDEO_OFFER = CHROME_OFFER.replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + String.join("\r\n",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 102 103",
            "c=IN IP4 0.0.0.0",
            "a=rtcp:9 IN IP4 0.0.0.0",
            "a=ice-ufrag:Ad7v",
            "a=ice-pwd:bXk1cTJ4ZmxkZ3lqbmxsYWFz",
            "a=ice-options:trickle",
            "a=fingerprint:sha-256 4F:1C:3B:53:0E:A4:7C:2A:14:8B:EF:5E:CB:6D:F0:4C:15:4A:42:01:1C:4E:44:0D:D4:9E:39:6C:7F:B3:F8:11",
            "a=setup:actpass",
            "a=mid:1",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:96 VP8/90000",
            "a=rtcp-fb:96 nack",
            "a=rtcp-fb:96 nack pli",
            "a=rtcp-fb:96 ccm fir",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96",
            "a=rtpmap:98 VP9/90000",
            "a=fmtp:98 profile-id=0",
            "a=rtpmap:99 rtx/90000",
            "a=fmtp:99 apt=98",
            "a=rtpmap:102 H264/90000",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:103 rtx/90000",
            "a=fmtp:103 apt=102",
            "") ;

    @Test
    void browserAudioOfferIsAccepted() {
        String sdp = Sdp.requireAudio(CHROME_OFFER);
        assertTrue(sdp.contains("m=audio"));
    }

    @Test
    void bareNewlinesAreNormalisedToCrlf() {
        String sdp = Sdp.requireAudio(CHROME_OFFER.replace("\r\n", "\n"));
        assertTrue(sdp.contains("\r\nm=audio"));
        assertTrue(sdp.endsWith("\r\n"));
    }

    @Test
    void garbageIsInvalidSdp() {
        ApiException e = assertThrows(ApiException.class, () -> Sdp.requireAudio("hello world"));
        assertEquals(ErrorCode.INVALID_SDP, e.code());
        assertTrue(e.details().containsKey("sdp"));
    }

    @Test
    void missingOrEmptySdpIsInvalid() {
        assertEquals(ErrorCode.INVALID_SDP, assertThrows(ApiException.class, () -> Sdp.requireAudio(null)).code());
        assertEquals(ErrorCode.INVALID_SDP, assertThrows(ApiException.class, () -> Sdp.requireAudio(" ")).code());
    }

    @Test
    void offerWithoutAudioIsInvalid() {
        String videoOnly = CHROME_OFFER.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=video 9 UDP/TLS/RTP/SAVPF 96");
        ApiException e = assertThrows(ApiException.class, () -> Sdp.requireAudio(videoOnly));
        assertTrue(e.details().get("sdp").contains("audio"), e.details().toString());
    }

    @Test
    void offerWithoutMediaIsInvalid() {
        String noMedia = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
        assertEquals(ErrorCode.INVALID_SDP, assertThrows(ApiException.class, () -> Sdp.requireAudio(noMedia)).code());
    }

    @Test
    void bareCarriageReturnInsideALineIsInvalidSdp() {
        String injected = CHROME_OFFER.replace("a=sendrecv", "a=sendrecv\ra=inactive");
        ApiException e = assertThrows(ApiException.class, () -> Sdp.requireAudio(injected));
        assertEquals(ErrorCode.INVALID_SDP, e.code());
        assertTrue(e.details().get("sdp").contains("control character"), e.details().toString());
    }

    @Test
    void nulInsideALineIsInvalidSdp() {
        String injected = CHROME_OFFER.replace("s=-", "s=-\u0000");
        assertEquals(ErrorCode.INVALID_SDP, assertThrows(ApiException.class, () -> Sdp.requireAudio(injected)).code());
    }

    @Test
    void emptyLineInTheMiddleIsInvalidSdp() {
        String split = CHROME_OFFER.replace("t=0 0\r\n", "t=0 0\r\n\r\n");
        ApiException e = assertThrows(ApiException.class, () -> Sdp.requireAudio(split));
        assertTrue(e.details().get("sdp").contains("<type>=<value>"), e.details().toString());
    }

    @Test
    void trailingEmptyLinesAreDropped() {
        assertTrue(Sdp.requireAudio(CHROME_OFFER + "\r\n\r\n").endsWith("a=rtpmap:0 PCMU/8000\r\n"));
    }

    @Test
    void audioAndVideoOfferIsAcceptedAndHasVideo() {
        String sdp = Sdp.requireAudio(CHROME_VIDEO_OFFER);
        assertTrue(sdp.contains("\r\nm=video 9 UDP/TLS/RTP/SAVPF 96"), sdp);
        assertTrue(Sdp.hasVideo(sdp));
        assertEquals(CallType.VIDEO, CallType.offeredIn(sdp));
    }

    @Test
    void audioOnlyOfferHasNoVideo() {
        assertFalse(Sdp.hasVideo(Sdp.requireAudio(CHROME_OFFER)));
        assertEquals(CallType.AUDIO, CallType.offeredIn(Sdp.requireAudio(CHROME_OFFER)));
    }

    @Test
    void declinedVideoLineIsNoVideo() {
        String declined = Sdp.requireAudio(CHROME_VIDEO_OFFER.replace("m=video 9 ", "m=video 0 "));
        assertFalse(Sdp.hasVideo(declined), "port 0 is a declined stream (RFC 3264)");
        assertEquals(CallType.AUDIO, CallType.offeredIn(declined));
    }

    @Test
    void audioAndVideoAnswerIsAccepted() {
        String answer = CHROME_VIDEO_OFFER.replace("a=setup:actpass", "a=setup:active");
        assertTrue(Sdp.hasVideo(Sdp.requireAudio(answer)));
    }

    @Test
    void videoWithoutAudioIsStillInvalidSdp() {
        String videoOnly = CHROME_VIDEO_OFFER.replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126", "m=video 9 UDP/TLS/RTP/SAVPF 96");
        assertEquals(ErrorCode.INVALID_SDP, assertThrows(ApiException.class, () -> Sdp.requireAudio(videoOnly)).code());
    }

    @Test
    void injectionInTheVideoSectionIsInvalidSdp() {
        String injected = CHROME_VIDEO_OFFER.replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/90000\ra=inactive");
        assertEquals(ErrorCode.INVALID_SDP, assertThrows(ApiException.class, () -> Sdp.requireAudio(injected)).code());
    }

    @Test
    void oversizedVideoOfferIsInvalidSdp() {
        String huge = CHROME_VIDEO_OFFER + "a=x-pad:" + "x".repeat(Sdp.MAX_LENGTH) + "\r\n";
        ApiException e = assertThrows(ApiException.class, () -> Sdp.requireAudio(huge));
        assertTrue(e.details().get("sdp").contains("longer"), e.details().toString());
    }

    @Test
    void typeIsAudioByDefaultAndCaseInsensitive() {
        assertEquals(CallType.AUDIO, CallType.parse(null));
        assertEquals(CallType.AUDIO, CallType.parse(" "));
        assertEquals(CallType.VIDEO, CallType.parse(" video "));
        ApiException e = assertThrows(ApiException.class, () -> CallType.parse("HOLOGRAM"));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
        assertTrue(e.details().containsKey("type"));
    }

    @Test
    void videoTypeNeedsAVideoLineAndAudioTypeTakesEither() {
        ApiException e = assertThrows(ApiException.class, () -> CallType.VIDEO.requireIn(Sdp.requireAudio(CHROME_OFFER)));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
        assertTrue(e.details().get("type").contains("video m-line"), e.details().toString());
        CallType.VIDEO.requireIn(Sdp.requireAudio(CHROME_VIDEO_OFFER));
        CallType.AUDIO.requireIn(Sdp.requireAudio(CHROME_OFFER));
        CallType.AUDIO.requireIn(Sdp.requireAudio(CHROME_VIDEO_OFFER));
    }
}
