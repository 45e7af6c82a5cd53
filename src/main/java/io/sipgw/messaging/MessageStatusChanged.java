package io.sipgw.messaging;

import io.sipgw.events.UserNotification;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** The sender's message changed state: MESSAGE_STATUS_UPDATED (spec 5.2.5), readAt only for READ. */
public record MessageStatusChanged(String recipient, Data data) implements UserNotification {

    @JsonbPropertyOrder({"messageId", "sessionId", "oldStatus", "newStatus", "readAt"})
    public record Data(String messageId, String sessionId, String oldStatus, String newStatus, Instant readAt) {
    }

    static MessageStatusChanged of(Message m, MessageStatus old) {
        return new MessageStatusChanged(m.ownerId(), new Data(m.messageId(), m.sessionId(), old.name(),
                m.status().name(), m.status() == MessageStatus.READ ? m.readAt() : null));
    }

    @Override
    public String type() {
        return "MESSAGE_STATUS_UPDATED";
    }
}
