package io.sipgw.messaging;

import io.sipgw.api.ApiException;
import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.events.ClientFrameReceived;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sending over the event socket (beyond the spec, see README): a {@code SEND_MESSAGE} frame carries the body
 * of POST /messages and goes through the same use case ({@link Messaging#send}), so validation, storing
 * before the answer and exactly-once per clientMsgId are the same. The answer, on that socket only, is
 * {@code MESSAGE_SENT} {clientMsgId, message} or {@code ERROR} with {@code data.clientMsgId} and the error code
 * the POST would have given. A socket's frames are handled one after the other, in their order, on the
 * socket's thread, which waits as a POST does (at most the short USER_OFFLINE wait).
 */
@ApplicationScoped
public class SendMessageFrames {

    private static final Logger LOG = Logger.getLogger(SendMessageFrames.class.getName());
    static final String SEND = "SEND_MESSAGE";
    static final String SENT = "MESSAGE_SENT";
    private static final Jsonb JSONB = JsonbBuilder.create();

    /** {@code data} of MESSAGE_SENT: the client's id and the stored message, as POST /messages answers it. */
    public record Sent(String clientMsgId, MessageView message) {
    }

    /** {@code data} of the ERROR frame answering a SEND_MESSAGE: which send failed. */
    public record Failed(String clientMsgId) {
    }

    @Inject
    Messaging messaging;

    void clientFrame(@Observes ClientFrameReceived frame) {
        if (!SEND.equals(frame.type())) {
            return;
        }
        CompletableFuture<Void> replied = new CompletableFuture<>();
        try {
            SendMessageRequest request = request(frame.data());
            MessageView sent = messaging.send(frame.userId(), request, replied);
            frame.reply().send(SENT, new Sent(request.clientMsgId(), sent));
        } catch (DomainException e) {
            frame.reply().error(e, new Failed(clientMsgIdOf(frame.data())));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A SEND_MESSAGE of " + frame.userId() + " failed", e);
            frame.reply().error(new ApiException(ErrorCode.SERVER_ERROR, ErrorCode.SERVER_ERROR.defaultMessage()),
                    new Failed(clientMsgIdOf(frame.data())));
        } finally {
            replied.complete(null); // now the delivery status may follow (Messaging.send)
        }
    }

    /** The frame's data read as the POST's body is, by JSON-B; what the POST refuses as unreadable is refused alike. */
    static SendMessageRequest request(JsonObject data) {
        try {
            return JSONB.fromJson(data.toString(), SendMessageRequest.class);
        } catch (JsonbException e) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.BODY_NOT_VALID_JSON.text(),
                    Map.of("body", "malformed JSON or wrong field types"));
        }
    }

    /** The frame's clientMsgId when it is one the POST would accept, else null (never echoes junk). */
    private static String clientMsgIdOf(JsonObject data) {
        return data.get("metadata") instanceof JsonObject m && m.get("clientMsgId") instanceof JsonString s
                && !s.getString().isBlank() && s.getString().length() <= Messaging.MAX_CLIENT_MSG_ID ? s.getString() : null;
    }
}
