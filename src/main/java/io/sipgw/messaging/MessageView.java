package io.sipgw.messaging;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A sent message as POST /messages answers it (spec 3.1). */
@Schema(name = "MessageView")
@JsonbPropertyOrder({"messageId", "clientMsgId", "from", "to", "type", "content", "timestamp", "status"})
public record MessageView(String messageId, String clientMsgId, String from, String to, String type, String content,
                          Instant timestamp, @Schema(ref = "MessageStatus") String status) {

    static MessageView of(Message m) {
        return new MessageView(m.messageId(), m.clientMsgId(), m.fromUri(), m.toUri(), m.type(), m.content(),
                m.createdAt(), MessageStatus.SENT.name());
    }
}
