package io.sipgw.users;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** One entry of GET /users (spec 2.1); absent values are written as null, as in the spec. */
@JsonbNillable
@JsonbPropertyOrder({"userId", "sipUri", "displayName", "status", "statusMessage", "avatar", "lastSeen"})
public record UserSummary(String userId, String sipUri, String displayName, String status, String statusMessage,
                          String avatar, Instant lastSeen) {

    static UserSummary of(User u) {
        return new UserSummary(u.userId(), u.sipUri(), u.displayName(), u.status().name(), u.statusMessage(),
                u.avatar(), u.lastSeen());
    }
}
