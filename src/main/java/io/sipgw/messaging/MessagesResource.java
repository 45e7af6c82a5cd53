package io.sipgw.messaging;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.Paging;
import io.sipgw.api.UserText;
import io.sipgw.users.User;
import io.sipgw.users.UserDirectory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec section 3: send, conversations, history and read receipts. A user only ever sees their own entries. */
@Path("messages")
@ApplicationScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "messages")
@SecurityRequirement(name = "bearerJwt")
public class MessagesResource {

    static final int HISTORY_DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;

    @Inject
    Messaging messaging;

    @Inject
    MessageStore store;

    @Inject
    UserDirectory directory;

    @Inject
    JsonWebToken jwt;

    @POST
    @Operation(summary = "Send a text message as SIP MESSAGE; idempotent per metadata.clientMsgId (spec 3.1)")
    @APIResponseSchema(MessageView.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR, USER_OFFLINE")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED")
    public ApiResponse<MessageView> send(SendMessageRequest request) {
        return ApiResponse.ok(messaging.send(jwt.getName(), request), UserText.MESSAGE_SENT.text());
    }

    @GET
    @Path("sessions")
    @Operation(summary = "The caller's conversations, newest first (spec 3.3)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = SessionSummary.class)))
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    public ApiResponse<List<SessionSummary>> sessions(
            @QueryParam("unreadOnly") @Parameter(description = "only conversations with unread received messages",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String unreadOnly) {
        boolean onlyUnread = parseBoolean(unreadOnly);
        String me = jwt.getName();
        List<Message> latest = store.latestPerSession(me);
        Map<String, Long> unread = store.unreadPerSession(me);
        Map<String, User> peers = directory.findAll(latest.stream().map(Message::peerId).collect(Collectors.toSet()));
        List<SessionSummary> sessions = latest.stream()
                .filter(m -> !onlyUnread || unread.getOrDefault(m.sessionId(), 0L) > 0)
                .sorted(Comparator.comparing(Message::createdAt).thenComparing(Message::id).reversed())
                .map(m -> new SessionSummary(m.sessionId(), peer(m.peerId(), peers),
                        new SessionSummary.LastMessage(m.content(), m.createdAt(), m.type()),
                        unread.getOrDefault(m.sessionId(), 0L), m.createdAt()))
                .toList();
        return ApiResponse.ok(sessions);
    }

    @GET
    @Path("sessions/{sessionId}")
    @Operation(summary = "A conversation's messages, newest first (spec 3.2)")
    @APIResponseSchema(SessionHistory.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    public ApiResponse<SessionHistory> history(
            @PathParam("sessionId") @Parameter(description = "the two userIds in lexical order joined by '-'; must name the caller")
            String sessionId,
            @QueryParam("page") @Parameter(description = "page number from 0", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0", maximum = "" + Paging.MAX_PAGE, defaultValue = "0")) String page,
            @QueryParam("size") @Parameter(description = "messages per page", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + MAX_SIZE, defaultValue = "" + HISTORY_DEFAULT_SIZE)) String size,
            @QueryParam("before") @Parameter(description = "only messages created before this instant: ISO-8601 or epoch milliseconds",
                    schema = @Schema(example = "2025-11-15T10:30:00Z")) String before) {
        String me = jwt.getName();
        String peerId = peerOf(sessionId, me);
        Paging paging = Paging.parse(page, size, HISTORY_DEFAULT_SIZE, MAX_SIZE);
        Instant beforeTime = parseInstant(before);
        List<HistoryEntry> messages = store.history(me, sessionId, beforeTime, paging.offset(), paging.size())
                .stream().map(HistoryEntry::of).toList();
        long matching = beforeTime == null ? -1 : store.count(me, sessionId, beforeTime);
        long total = store.count(me, sessionId, null);
        boolean hasMore = paging.offset() + messages.size() < (beforeTime == null ? total : matching);
        Map<String, User> peers = directory.findAll(Set.of(peerId));
        return ApiResponse.ok(new SessionHistory(sessionId, peer(peerId, peers), messages, total, hasMore));
    }

    @PUT
    @Path("{messageId}/read")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Mark a received message read; the sender gets MESSAGE_STATUS_UPDATED (spec 3.4)")
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public ApiResponse<Void> read(@PathParam("messageId") String messageId) {
        store.markRead(jwt.getName(), messageId);
        return ApiResponse.okMessage(UserText.MARKED_READ.text());
    }

    /** The other participant of a conversation id, which must name the caller. */
    static String peerOf(String sessionId, String me) {
        if (sessionId.startsWith(me + "-") && sessionId.length() > me.length() + 1) {
            return sessionId.substring(me.length() + 1);
        }
        if (sessionId.endsWith("-" + me) && sessionId.length() > me.length() + 1) {
            return sessionId.substring(0, sessionId.length() - me.length() - 1);
        }
        throw new ApiException(ErrorCode.FORBIDDEN, UserText.CONVERSATION_FORBIDDEN.text());
    }

    private static Peer peer(String userId, Map<String, User> known) {
        User user = known.get(userId);
        if (user == null) {
            return new Peer(userId, User.defaultDisplayName(userId), "OFFLINE", null);
        }
        return new Peer(user.userId(), user.displayName(), user.status().name(), user.avatar());
    }

    private static boolean parseBoolean(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ApiException.invalid("unreadOnly", "must be true or false");
    }

    private static Instant parseInstant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return value.chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ApiException.invalid("before", "an ISO-8601 instant (2025-11-15T10:30:00Z) or epoch milliseconds");
        }
    }
}
