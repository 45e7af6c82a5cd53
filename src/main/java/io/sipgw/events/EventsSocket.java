package io.sipgw.events;

import io.sipgw.api.ApiError;
import io.sipgw.api.ApiException;
import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.RequestBodyLimits;
import io.sipgw.api.UserText;
import io.sipgw.auth.CallerToken;
import io.sipgw.auth.TokenVerifier;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /ws/events?token=...} (spec section 5). The token is checked on open with the REST API's rules;
 * a bad one closes the socket at once with 1008 (policy violation) and the error code as reason, and so
 * does a socket beyond the user's cap ({@code TOO_MANY_SOCKETS}); at the token's expiry the socket is
 * closed with 4001 {@code TOKEN_EXPIRED}. Client frames: PING gets PONG; ICE_CANDIDATE (calls) and
 * SEND_MESSAGE (messaging) go to their capability as {@link ClientFrameReceived}, with a reply on this
 * socket; anything unknown or malformed gets an ERROR frame and the socket stays.
 */
@ServerEndpoint("/ws/events")
public class EventsSocket {

    private static final Logger LOG = Logger.getLogger(EventsSocket.class.getName());
    /** Client frames handed to the capabilities (spec section 10). */
    static final Set<String> FORWARDED_TYPES = Set.of("ICE_CANDIDATE", "SEND_MESSAGE");
    static final String JTI = "sipgw.jti";
    static final String USER = "sipgw.user";
    /** One factory: Json.createReader looks the JSON provider up through the class loader on every call. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    /** Largest client frame accepted; larger ones close the socket with 1009 (too big). */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    @Inject
    TokenVerifier verifier;

    @Inject
    SocketRegistry sockets;

    @Inject
    Event<ClientFrameReceived> clientFrames;

    @OnOpen
    public void open(Session session) {
        List<String> tokens = session.getRequestParameterMap().get("token");
        CallerToken token;
        try {
            token = verifier.verify(tokens == null || tokens.isEmpty() ? null : tokens.get(0));
        } catch (ApiException e) {
            SocketRegistry.close(session, CloseReason.CloseCodes.VIOLATED_POLICY, e.code().name());
            return;
        }
        session.getUserProperties().put(USER, token.getName());
        session.getUserProperties().put(JTI, token.getTokenID());
        session.setMaxIdleTimeout(0); // no Tyrus timer per frame: SocketRegistry's sweep closes idle sockets
        session.setMaxTextMessageBufferSize(MAX_FRAME_BYTES);
        if (!sockets.add(token.getName(), session, Instant.ofEpochSecond(token.getExpirationTime()))) {
            session.getUserProperties().remove(USER); // no frames of a refused socket are handled
            SocketRegistry.close(session, CloseReason.CloseCodes.VIOLATED_POLICY, SocketRegistry.TOO_MANY_SOCKETS);
        }
    }

    @OnMessage(maxMessageSize = MAX_FRAME_BYTES)
    public void message(Session session, String text) {
        if (!(session.getUserProperties().get(USER) instanceof String)) {
            return;
        }
        sockets.received(session);
        if (RequestBodyLimits.nestedDeeperThan(text, RequestBodyLimits.MAX_DEPTH)) { // before a parser builds it
            reject(session, ErrorCode.VALIDATION_ERROR, UserText.BODY_NESTED_TOO_DEEP.text(),
                    Map.of("frame", "JSON nested deeper than " + RequestBodyLimits.MAX_DEPTH + " levels"));
            return;
        }
        JsonObject frame = parse(text);
        String type = frame != null && frame.get("type") instanceof JsonString t ? t.getString() : null;
        if (type == null) {
            reject(session, ErrorCode.VALIDATION_ERROR, UserText.EVENT_UNPARSEABLE.text(), Map.of("frame", "expected a JSON object with a string 'type'"));
        } else if (type.equals("PING")) {
            sockets.send(session, EventBroadcaster.toJson(EventFrame.of("PONG", null)));
        } else if (FORWARDED_TYPES.contains(type)) {
            JsonObject data = frame.get("data") instanceof JsonObject d ? d : JsonValue.EMPTY_JSON_OBJECT;
            try {
                clientFrames.fire(new ClientFrameReceived((String) session.getUserProperties().get(USER), type, data,
                        replyOn(session)));
            } catch (DomainException e) {
                reject(session, e.code(), e.getMessage(), e.details());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Handling a " + type + " frame failed", e);
                reject(session, ErrorCode.SERVER_ERROR, ErrorCode.SERVER_ERROR.defaultMessage(), null);
            }
        } else {
            reject(session, ErrorCode.VALIDATION_ERROR, UserText.EVENT_TYPE_NOT_SUPPORTED.format(type), Map.of("type", "unknown client event type"));
        }
    }

    @OnClose
    public void closed(Session session, CloseReason reason) {
        forget(session);
    }

    @OnError
    public void failed(Session session, Throwable error) {
        LOG.log(Level.FINE, "Event socket error", error);
        forget(session);
    }

    private void forget(Session session) {
        if (session.getUserProperties().get(USER) instanceof String userId) {
            sockets.remove(userId, session);
        }
    }

    private void reject(Session session, ErrorCode code, String message, Map<String, String> details) {
        sockets.send(session, EventBroadcaster.toJson(EventFrame.error(error(code, message, details))));
    }

    private static ApiError error(ErrorCode code, String message, Map<String, String> details) {
        return new ApiError(code.name(), message, details == null || details.isEmpty() ? null : details);
    }

    private ClientFrameReceived.Reply replyOn(Session session) {
        return new ClientFrameReceived.Reply() {
            @Override
            public void send(String type, Object data) {
                sockets.send(session, EventBroadcaster.toJson(EventFrame.of(type, data)));
            }

            @Override
            public void error(DomainException error, Object data) {
                sockets.send(session, EventBroadcaster.toJson(EventFrame.error(
                        EventsSocket.error(error.code(), error.getMessage(), error.details()), data)));
            }
        };
    }

    private static JsonObject parse(String text) {
        try (var reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue() instanceof JsonObject frame ? frame : null;
        } catch (RuntimeException e) { // JsonException, JsonParsingException, empty input
            return null;
        }
    }
}
