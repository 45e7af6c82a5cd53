package io.sipgw.auth;

import io.sipgw.users.User;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of PUT /auth/status (spec 1.4). */
public record StatusRequest(
        @Schema(required = true, ref = "UserStatus", description = "case-insensitive") String status,
        @Schema(maxLength = User.MAX_STATUS_MESSAGE) String statusMessage) {
}
