package io.sipgw.messaging;

import io.sipgw.events.UserNotification;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** A message arrived for {@code recipient}: MESSAGE_RECEIVED (spec 5.2.1). */
public record MessageReceived(String recipient, Data data) implements UserNotification {

    @JsonbPropertyOrder({"messageId", "from", "to", "sessionId", "type", "content", "timestamp"})
    public record Data(String messageId, String from, String to, String sessionId, String type, String content,
                       Instant timestamp) {
    }

    static MessageReceived of(Message m) {
        return new MessageReceived(m.ownerId(), new Data(m.messageId(), m.fromUri(), m.toUri(), m.sessionId(), m.type(),
                m.content(), m.createdAt()));
    }

    @Override
    public String type() {
        return "MESSAGE_RECEIVED";
    }
}
