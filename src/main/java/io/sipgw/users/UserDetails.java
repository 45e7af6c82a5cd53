package io.sipgw.users;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** GET /users/{userId} (spec 2.2); absent values are written as null, as in the spec. */
@JsonbNillable
@JsonbPropertyOrder({"userId", "sipUri", "displayName", "status", "statusMessage", "avatar", "email", "phone", "lastSeen"})
public record UserDetails(String userId, String sipUri, String displayName, String status, String statusMessage,
                          String avatar, String email, String phone, Instant lastSeen) {

    static UserDetails of(User u) {
        return new UserDetails(u.userId(), u.sipUri(), u.displayName(), u.status().name(), u.statusMessage(),
                u.avatar(), u.email(), u.phone(), u.lastSeen());
    }
}
