package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One conversation of GET /messages/sessions (spec 3.3). */
@Schema(name = "SessionSummary")
@JsonbPropertyOrder({"sessionId", "peer", "lastMessage", "unreadCount", "updatedAt"})
public record SessionSummary(String sessionId, Peer peer, LastMessage lastMessage, long unreadCount, Instant updatedAt) {

    /** The newest message of the conversation. */
    @Schema(name = "SessionSummaryLastMessage")
    @JsonbPropertyOrder({"content", "timestamp", "type"})
    public record LastMessage(String content, Instant timestamp, String type) {
    }
}
