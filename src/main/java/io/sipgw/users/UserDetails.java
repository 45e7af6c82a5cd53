package io.sipgw.users;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /users/{userId} (spec 2.2); absent values are written as null, as in the spec. */
@Schema(name = "UserDetails")
@JsonbNillable
@JsonbPropertyOrder({"userId", "sipUri", "displayName", "status", "statusMessage", "avatar", "email", "phone", "lastSeen"})
public record UserDetails(String userId, String sipUri, String displayName,
                          @Schema(ref = "UserStatus") String status,
                          @Schema(nullable = true) String statusMessage, @Schema(nullable = true) String avatar,
                          @Schema(nullable = true) String email, @Schema(nullable = true) String phone,
                          @Schema(nullable = true) Instant lastSeen) {

    static UserDetails of(User u) {
        return new UserDetails(u.userId(), u.sipUri(), u.displayName(), u.status().name(), u.statusMessage(),
                u.avatar(), u.email(), u.phone(), u.lastSeen());
    }
}
