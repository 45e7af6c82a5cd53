package io.sipgw.calls;

import io.sipgw.events.UserNotification;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** The far end trickled an ICE candidate: ICE_CANDIDATE_RECEIVED (spec section 10). */
public record IceCandidateReceived(String recipient, Data data) implements UserNotification {

    @JsonbPropertyOrder({"callId", "candidate"})
    public record Data(String callId, IceCandidate candidate) {
    }

    @Override
    public String type() {
        return "ICE_CANDIDATE_RECEIVED";
    }
}
