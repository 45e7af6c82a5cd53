package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One message of a conversation's history (spec 3.2). */
@Schema(name = "HistoryEntry")
@JsonbPropertyOrder({"messageId", "from", "to", "type", "content", "timestamp", "status", "isOwn"})
public record HistoryEntry(String messageId, String from, String to, String type, String content, Instant timestamp,
                           @Schema(ref = "MessageStatus") String status, boolean isOwn) {

    static HistoryEntry of(Message m) {
        return new HistoryEntry(m.messageId(), m.fromUri(), m.toUri(), m.type(), m.content(), m.createdAt(),
                m.status().name(), m.isOwn());
    }
}
