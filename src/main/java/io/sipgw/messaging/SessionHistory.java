package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /messages/sessions/{sessionId} (spec 3.2); messages newest first. */
@Schema(name = "SessionHistory")
@JsonbPropertyOrder({"sessionId", "peer", "messages", "totalMessages", "hasMore"})
public record SessionHistory(String sessionId, Peer peer, List<HistoryEntry> messages, long totalMessages,
                             boolean hasMore) {
}
