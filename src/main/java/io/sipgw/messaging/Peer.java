package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** The other participant of a conversation, from the directory (spec 3.2, 3.3). */
@JsonbPropertyOrder({"userId", "displayName", "status", "avatar"})
public record Peer(String userId, String displayName, String status, @JsonbNillable String avatar) {
}
