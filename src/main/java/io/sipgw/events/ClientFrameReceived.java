package io.sipgw.events;

import io.sipgw.api.DomainException;
import jakarta.json.JsonObject;

/**
 * A client frame for a capability (e.g. ICE_CANDIDATE, SEND_MESSAGE), fired synchronously by the socket; an
 * observer that rejects it throws an ApiException, which the socket answers with an ERROR frame. An observer
 * that answers the frame itself (on the socket it came from only) uses {@link #reply()}.
 */
public record ClientFrameReceived(String userId, String type, JsonObject data, Reply reply) {

    /** Answers on the socket the frame came from; never blocks. */
    public interface Reply {

        /** A frame {@code {type, timestamp, data}}. */
        void send(String type, Object data);

        /** An ERROR frame with the envelope's error object for {@code error} and {@code data} beside it. */
        void error(DomainException error, Object data);
    }
}
