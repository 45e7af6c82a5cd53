package io.sipgw.events;

import io.sipgw.api.ApiError;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A server-to-client WebSocket frame (spec section 5): {@code {type, timestamp, data}}, or for ERROR
 * frames {@code {type, timestamp, error}} with the REST envelope's error object.
 */
@JsonbPropertyOrder({"type", "timestamp", "data", "error"})
public record EventFrame(String type, Instant timestamp, Object data, ApiError error) {

    public static EventFrame of(String type, Object data) {
        return new EventFrame(type, now(), data, null);
    }

    public static EventFrame error(ApiError error) {
        return error(error, null);
    }

    /** An ERROR frame that also carries {@code data}, e.g. the clientMsgId of the SEND_MESSAGE it answers. */
    public static EventFrame error(ApiError error, Object data) {
        return new EventFrame("ERROR", now(), data, error);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
