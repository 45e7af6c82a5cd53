package io.sipgw.messaging;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.Paging;
import io.sipgw.users.User;
import io.sipgw.users.UserDirectory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
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

/** Spec section 3: send, conversations, history and read receipts. A user only ever sees their own entries. */
@Path("messages")
@RequestScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
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
    public ApiResponse<MessageView> send(SendMessageRequest request) {
        return ApiResponse.ok(messaging.send(jwt.getName(), request), "消息已发送");
    }

    @GET
    @Path("sessions")
    public ApiResponse<List<SessionSummary>> sessions(@QueryParam("unreadOnly") String unreadOnly) {
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
    public ApiResponse<SessionHistory> history(@PathParam("sessionId") String sessionId,
                                               @QueryParam("page") String page,
                                               @QueryParam("size") String size,
                                               @QueryParam("before") String before) {
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
    public ApiResponse<Void> read(@PathParam("messageId") String messageId) {
        store.markRead(jwt.getName(), messageId);
        return ApiResponse.okMessage("已标记为已读");
    }

    /** The other participant of a conversation id, which must name the caller. */
    static String peerOf(String sessionId, String me) {
        if (sessionId.startsWith(me + "-") && sessionId.length() > me.length() + 1) {
            return sessionId.substring(me.length() + 1);
        }
        if (sessionId.endsWith("-" + me) && sessionId.length() > me.length() + 1) {
            return sessionId.substring(0, sessionId.length() - me.length() - 1);
        }
        throw new ApiException(ErrorCode.FORBIDDEN, "无权访问该会话");
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
