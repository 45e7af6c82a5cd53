package io.sipgw.calls;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the body of a trickle ICE INFO, {@code application/trickle-ice-sdpfrag}
 * (RFC 8840, RFC 8839): one media section per candidate ({@code m=} line with port 9 and {@code a=mid}),
 * {@code a=candidate} lines, and {@code a=end-of-candidates}.
 */
public final class TrickleIce {

    public static final String CONTENT_TYPE = "application";
    public static final String CONTENT_SUBTYPE = "trickle-ice-sdpfrag";
    public static final String INFO_PACKAGE = "trickle-ice";

    private TrickleIce() {
    }

    public static String encode(IceCandidate candidate) {
        StringBuilder body = new StringBuilder();
        String mid = candidate.sdpMid() == null || candidate.sdpMid().isBlank() ? "0" : candidate.sdpMid();
        body.append("m=audio 9 UDP/TLS/RTP/SAVPF 0\r\n").append("a=mid:").append(mid).append("\r\n");
        if (candidate.isEndOfCandidates()) {
            body.append("a=end-of-candidates\r\n");
        } else {
            String line = candidate.candidate().trim();
            body.append(line.startsWith("a=") ? line : "a=" + line).append("\r\n");
        }
        return body.toString();
    }

    /** The candidates of a received sdpfrag; an end-of-candidates marker becomes an empty candidate. */
    public static List<IceCandidate> decode(String body) {
        List<IceCandidate> candidates = new ArrayList<>();
        int mLineIndex = -1;
        String mid = null;
        for (String raw : body.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                mLineIndex++;
                mid = null;
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring("a=mid:".length()).trim();
            } else if (line.startsWith("a=candidate:")) {
                candidates.add(new IceCandidate(line.substring(2), Math.max(0, mLineIndex), mid));
            } else if (line.equals("a=end-of-candidates")) {
                candidates.add(new IceCandidate("", Math.max(0, mLineIndex), mid));
            }
        }
        return candidates;
    }
}
