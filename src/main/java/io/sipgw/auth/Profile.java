package io.sipgw.auth;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /auth/profile (spec 1.3), plus the user's own status message. */
@Schema(name = "Profile")
@JsonbPropertyOrder({"userId", "sipUri", "displayName", "status", "statusMessage", "registered", "lastActivity"})
public record Profile(String userId, String sipUri, String displayName,
                      @Schema(ref = "UserStatus") String status, String statusMessage,
                      boolean registered, Instant lastActivity) {
}
