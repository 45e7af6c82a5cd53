package io.sipgw.calls;

import io.sipgw.events.UserNotification;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** A call rings for {@code recipient}: INCOMING_CALL (spec 5.2.2) with the caller's offer. */
public record IncomingCall(String recipient, Data data) implements UserNotification {

    @JsonbPropertyOrder({"callId", "from", "fromUser", "type", "sdp"})
    public record Data(String callId, String from, Caller fromUser, String type, String sdp) {
    }

    @JsonbPropertyOrder({"userId", "displayName", "avatar"})
    public record Caller(String userId, String displayName, @JsonbNillable String avatar) {
    }

    @Override
    public String type() {
        return "INCOMING_CALL";
    }
}
