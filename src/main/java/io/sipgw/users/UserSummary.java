package io.sipgw.users;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One entry of GET /users (spec 2.1); absent values are written as null, as in the spec. */
@Schema(name = "UserSummary")
@JsonbNillable
@JsonbPropertyOrder({"userId", "sipUri", "displayName", "status", "statusMessage", "avatar", "lastSeen"})
public record UserSummary(String userId, String sipUri, String displayName,
                          @Schema(ref = "UserStatus") String status,
                          @Schema(nullable = true) String statusMessage, @Schema(nullable = true) String avatar,
                          @Schema(nullable = true) Instant lastSeen) {

    static UserSummary of(User u) {
        return new UserSummary(u.userId(), u.sipUri(), u.displayName(), u.status().name(), u.statusMessage(),
                u.avatar(), u.lastSeen());
    }
}
