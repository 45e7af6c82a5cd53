package io.sipgw.calls;

import io.sipgw.events.UserNotification;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A call of {@code recipient} changed state: CALL_STATE_CHANGED (spec 5.2.3). When a call the recipient
 * placed turns ACTIVE, {@code sdp} carries the callee's answer (the spec's signalling step 4); a final
 * state carries {@code reason} and {@code duration} (seconds). {@code direction} (the recipient's side of the
 * call) is not in the frame; the metrics count finished calls by it.
 */
public record CallStateChanged(String recipient, CallDirection direction, Data data) implements UserNotification {

    @JsonbPropertyOrder({"callId", "oldState", "newState", "peer", "sdp", "reason", "duration"})
    public record Data(String callId, String oldState, String newState, String peer, String sdp, String reason,
                       Long duration) {
    }

    @Override
    public String type() {
        return "CALL_STATE_CHANGED";
    }

    /** The call reached a final state. */
    public boolean finished() {
        return CallState.valueOf(data.newState()).isFinal();
    }
}
