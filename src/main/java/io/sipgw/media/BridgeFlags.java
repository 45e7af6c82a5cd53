package io.sipgw.media;

import java.util.List;
import java.util.Map;

/**
 * The ng options that turn one side's SDP into what the other side speaks, for {@link NgClient#offer}
 * and {@link NgClient#answer}. Which one to use depends on who receives the rewritten SDP:
 * {@link #towardsPlainRtp()} when it goes to a plain SIP phone, {@link #towardsWebRtc()} when it goes to
 * a browser. Browser calls phone: offer with {@code towardsPlainRtp}, the phone's answer with
 * {@code towardsWebRtc}; phone calls browser: the reverse.
 *
 * <p>The flags apply to every m-line of the SDP, so an audio and video call keeps its video section: rtpengine
 * gives it its own port (it answers a browser's BUNDLE unbundled, one port per m-line, which a browser with
 * the default bundle policy accepts) and rewrites it the same way as the audio. Video is never transcoded
 * (the codec flags name audio codecs only, and rtpengine does not transcode video): Chromium offers VP8,
 * H264 (baseline, constrained baseline and main, packetization-mode 1 and 0), AV1 and VP9, so a SIP video
 * phone meets it on H264, the codec nearly all of them have, or on VP8. RtpengineIT shows both directions
 * against the real rtpengine.
 */
public final class BridgeFlags {

    private BridgeFlags() {
    }

    /**
     * For SDP going to a plain RTP/AVP phone: ICE removed, DTLS and SDES off (no SRTP), RTCP on its own
     * port (rtcp-mux demuxed), transport RTP/AVP, rtpengine's address in origin and connection lines.
     * A browser that trickles its candidates sends {@code c=IN IP4 0.0.0.0} (port 9): rtpengine would pass
     * the zero address on and mark the stream {@code sendonly} (hold to the phone), so the zero address is
     * replaced and the browser's own direction attribute kept ({@code original sendrecv}).
     * In an offer, PCMU and PCMA are added by transcoding where the offer lacks them (an opus-only
     * browser still meets a G.711 phone); when the offer has them no transcoding takes place.
     */
    public static Map<String, Object> towardsPlainRtp() {
        return Map.of(
                "ICE", "remove",
                "DTLS", "off",
                "SDES", List.of("off"),
                "rtcp-mux", List.of("demux"),
                "transport-protocol", "RTP/AVP",
                "replace", List.of("origin", "session-connection", "zero-address"),
                "flags", List.of("original sendrecv"),
                "codec", Map.of("transcode", List.of("PCMU", "PCMA")));
    }

    /**
     * For SDP going to a browser: rtpengine as the only ICE candidate, DTLS-SRTP with rtpengine passive
     * (the browser starts the handshake once ICE is up), rtcp-mux offered and required, transport
     * UDP/TLS/RTP/SAVPF, SDES off, an {@code a=mid} where the phone's SDP had none, rtpengine's address in
     * origin and connection lines.
     */
    public static Map<String, Object> towardsWebRtc() {
        return Map.of(
                "ICE", "force",
                "DTLS", "passive",
                "SDES", List.of("off"),
                "rtcp-mux", List.of("offer", "require"),
                "transport-protocol", "UDP/TLS/RTP/SAVPF",
                "replace", List.of("origin", "session-connection"),
                "flags", List.of("generate mid"));
    }
}
