package io.sipgw.auth;

import io.sipgw.users.UserStatus;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /auth/profile (spec 1.3), plus the user's own status message. */
@JsonbPropertyOrder({"userId", "sipUri", "displayName", "status", "statusMessage", "registered", "lastActivity"})
public record Profile(String userId, String sipUri, String displayName,
                      @Schema(implementation = UserStatus.class) String status, String statusMessage,
                      boolean registered, Instant lastActivity) {
}
