package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** One conversation of GET /messages/sessions (spec 3.3). */
@JsonbPropertyOrder({"sessionId", "peer", "lastMessage", "unreadCount", "updatedAt"})
public record SessionSummary(String sessionId, Peer peer, LastMessage lastMessage, long unreadCount, Instant updatedAt) {

    /** The newest message of the conversation. */
    @JsonbPropertyOrder({"content", "timestamp", "type"})
    public record LastMessage(String content, Instant timestamp, String type) {
    }
}
