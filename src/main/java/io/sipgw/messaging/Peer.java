package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The other participant of a conversation, from the directory (spec 3.2, 3.3). */
@Schema(name = "Peer")
@JsonbPropertyOrder({"userId", "displayName", "status", "avatar"})
public record Peer(String userId, String displayName, @Schema(ref = "UserStatus") String status,
                   @JsonbNillable @Schema(nullable = true) String avatar) {
}
