package io.sipgw.messaging;

import io.sipgw.users.UserStatus;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The other participant of a conversation, from the directory (spec 3.2, 3.3). */
@JsonbPropertyOrder({"userId", "displayName", "status", "avatar"})
public record Peer(String userId, String displayName, @Schema(implementation = UserStatus.class) String status,
                   @JsonbNillable String avatar) {
}
