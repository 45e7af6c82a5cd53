package io.sipgw.users;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/**
 * A user's presence changed (login, logout, lapsed registration, PUT /auth/status): USER_STATUS_CHANGED
 * (spec 5.2.4), pushed to every other connected user after the change commits.
 */
public record PresenceChanged(Data data) {

    @JsonbNillable
    @JsonbPropertyOrder({"userId", "oldStatus", "newStatus", "statusMessage"})
    public record Data(String userId, String oldStatus, String newStatus, String statusMessage) {
    }

    static PresenceChanged of(String userId, UserStatus oldStatus, UserStatus newStatus, String statusMessage) {
        return new PresenceChanged(new Data(userId, oldStatus.name(), newStatus.name(), statusMessage));
    }

    /** The frame's {@code type}. */
    public String type() {
        return "USER_STATUS_CHANGED";
    }

    /** The user whose sockets do not get the frame: the one it is about. */
    public String except() {
        return data.userId();
    }
}
