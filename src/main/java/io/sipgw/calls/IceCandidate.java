package io.sipgw.calls;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A trickled ICE candidate as the browser's RTCIceCandidate gives it (spec section 10). An empty
 * {@code candidate} string means end-of-candidates.
 */
@JsonbPropertyOrder({"candidate", "sdpMLineIndex", "sdpMid"})
public record IceCandidate(String candidate, Integer sdpMLineIndex, String sdpMid) {

    public boolean isEndOfCandidates() {
        return candidate == null || candidate.isBlank();
    }
}
