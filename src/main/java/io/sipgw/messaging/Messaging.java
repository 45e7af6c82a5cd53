package io.sipgw.messaging;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.cluster.Cluster;
import io.sipgw.sip.Registration;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.sip.SipUri;
import io.sipgw.sip.SipUserAgent;
import io.sipgw.work.WorkerPool;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJBException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sending text messages as SIP MESSAGE (RFC 3428) through the sender's SIP server. The message is stored
 * first (idempotent per sender and clientMsgId), then sent; the far end's answer moves it to DELIVERED
 * or FAILED. A recipient the server reports unreachable within a short wait is USER_OFFLINE.
 */
@ApplicationScoped
public class Messaging {

    /** Carries the sender's messageId so both sides of a gateway-to-gateway message share it. */
    static final String MESSAGE_ID_HEADER = "X-Sipgw-Message-Id";
    static final int MAX_CLIENT_MSG_ID = 128;

    /** Recent sends' claims: at most this many, each kept this long (a retry after that asks the database). */
    static final int RECENT_SENDS = 20_000;
    static final Duration RECENT_SENDS_KEPT = Duration.ofMinutes(10);
    private static final long CLAIM_WAIT_S = 10;
    private static final long INSERT_WAIT_S = 30;
    /** At most this many senders' entries per transaction. */
    static final int MAX_INSERT_BATCH = 100;

    /** sender + clientMsgId -> the id of the entry stored for it (see {@link #storeOnce}); bounded, in memory. */
    private final Cache<String, CompletableFuture<Long>> recentSends = Caffeine.newBuilder()
            .maximumSize(RECENT_SENDS).expireAfterWrite(RECENT_SENDS_KEPT).build();

    @Inject
    SipUserAgent agent;

    @Inject
    RegistrationTable registrations;

    @Inject
    MessageStore store;

    @Inject
    DeliveryResults results;

    @Inject
    WorkerPool executor;

    private GroupCommit<PendingInsert> inserts;

    @PostConstruct
    void start() {
        inserts = new GroupCommit<>(executor, MAX_INSERT_BATCH, this::insertAll, this::insertOne);
    }

    @Inject
    Cluster cluster;

    @Inject
    @ConfigProperty(name = "sipgw.messages.offline-wait-ms")
    long offlineWaitMs;

    @Inject
    @ConfigProperty(name = "sipgw.messages.delivery-timeout-ms")
    long deliveryTimeoutMs;

    public MessageView send(String senderId, SendMessageRequest request) {
        return send(senderId, request, CompletableFuture.completedFuture(null));
    }

    /**
     * As {@link #send(String, SendMessageRequest)}; the far end's answer is recorded (and its
     * MESSAGE_STATUS_UPDATED pushed) only once {@code acknowledged} completes. The SEND_MESSAGE frame
     * completes it after its MESSAGE_SENT reply went out, so the sending socket never gets DELIVERED for a
     * messageId it has not been told yet.
     */
    public MessageView send(String senderId, SendMessageRequest request, CompletableFuture<Void> acknowledged) {
        SipUri to = validate(request);
        String clientMsgId = request.clientMsgId();
        Registration registration = registrations.require(senderId);
        Message message = Message.outgoing("msg-" + UUID.randomUUID(), senderId, to.userId(),
                registration.aor().toString(), to.toString(), request.content(), clientMsgId,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        message.sentBy(cluster.localMemberId());
        Message stored = storeOnce(message);
        if (stored != message) {
            return MessageView.of(stored); // a retry: the first request sent it
        }
        awaitOffline(dispatch(registration, to, message, acknowledged));
        return MessageView.of(message);
    }

    /**
     * Stores the sender's entry unless the same sender already sent one with its clientMsgId; returns the
     * entry that is stored, this one or the earlier. No lookup before the insert: the unique key
     * (owner, clientMsgId) decides in the database, and only a refused insert reads the earlier entry. So that
     * the ordinary retry (the client did not get the answer in time, and sends again to this instance) and
     * concurrent retries never reach that refusal, each send claims its clientMsgId in {@link #recentSends}
     * first: a retry of a recent send waits for the first one's insert and reads its entry by primary key
     * (EclipseLink's shared cache). A retry the claims no longer know of (after a restart, or from another
     * cluster member) is refused by the unique key and finds the earlier entry.
     */
    private Message storeOnce(Message message) {
        if (message.clientMsgId() == null) {
            return insert(message); // a new messageId: nothing to be a retry of
        }
        String key = message.ownerId() + '\n' + message.clientMsgId();
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> earlier = recentSends.asMap().putIfAbsent(key, mine);
        if (earlier != null) {
            Long id = claimedEntry(earlier);
            Message found = id == null ? null : store.byId(id).orElse(null);
            return found != null ? found : storeOrFindEarlier(message);
        }
        try {
            Message stored = storeOrFindEarlier(message);
            mine.complete(stored.id());
            return stored;
        } catch (RuntimeException e) {
            recentSends.asMap().remove(key, mine);
            mine.complete(null); // waiting retries decide in the database themselves
            throw e;
        }
    }

    /** Inserts; when the unique key refuses it (an earlier send with this clientMsgId), that entry. */
    private Message storeOrFindEarlier(Message message) {
        try {
            return insert(message);
        } catch (EJBException e) {
            return store.findByClientMsgId(message.ownerId(), message.clientMsgId()).orElseThrow(() -> e);
        }
    }

    /**
     * Inserts the sender's entry with a group commit ({@link GroupCommit} on the worker pool: the entries of
     * the sends that arrive while one transaction commits share the next) and waits until it committed, so
     * the answer still comes only after the entry is stored. A refused insert throws as
     * {@link MessageStore#storeOutgoing} does (a failed batch is written again one by one first).
     */
    private Message insert(Message message) {
        PendingInsert pending = new PendingInsert(message, new CompletableFuture<>());
        inserts.add(pending);
        try {
            return pending.stored().get(INSERT_WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("storing the message took more than " + INSERT_WAIT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the message", e);
        }
    }

    /** A sender's entry waiting for the group commit, and the request that waits for it. */
    private record PendingInsert(Message message, CompletableFuture<Message> stored) {
    }

    private void insertAll(List<PendingInsert> batch) {
        store.storeOutgoing(batch.stream().map(PendingInsert::message).toList());
        batch.forEach(p -> p.stored().complete(p.message()));
    }

    private void insertOne(PendingInsert pending) {
        try {
            store.storeOutgoing(List.of(pending.message()));
            pending.stored().complete(pending.message());
        } catch (RuntimeException e) {
            pending.stored().completeExceptionally(e);
        }
    }

    /** The entry id an earlier send of the same clientMsgId stored, or null when it failed or takes too long. */
    private static Long claimedEntry(CompletableFuture<Long> earlier) {
        try {
            return earlier.get(CLAIM_WAIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Sends again a sender's entry that an earlier run stored and never got the SIP answer for (see
     * {@link Outbox}): through the sender's registration of now, with the same messageId, so a gateway
     * recipient that already stored it answers 200 without storing it twice. A sender without a
     * registration, or an entry whose recipient no longer parses, is FAILED.
     */
    void resend(Message message) {
        Optional<Registration> registration = registrations.find(message.ownerId());
        SipUri to;
        try {
            to = SipUri.parse(message.toUri());
        } catch (IllegalArgumentException e) {
            to = null;
        }
        if (registration.isEmpty() || to == null) {
            store.deliveryResult(message, false);
            return;
        }
        dispatch(registration.get(), to, message, CompletableFuture.completedFuture(null));
    }

    /**
     * Sends the stored entry as SIP MESSAGE; its final answer (or none in time) is queued for the group commit
     * on the worker pool ({@link DeliveryResults}).
     */
    private CompletableFuture<Integer> dispatch(Registration registration, SipUri to, Message message,
            CompletableFuture<Void> acknowledged) {
        CompletableFuture<Integer> answer = agent.sendMessage(registration, to, message.content(),
                Map.of(MESSAGE_ID_HEADER, message.messageId()), deliveryTimeoutMs);
        answer.handle((status, failure) -> failure == null && status < 300)
                .thenCombine(acknowledged.exceptionally(e -> null), (delivered, ignored) -> delivered)
                .thenAccept(delivered -> results.record(message, delivered));
        return answer;
    }

    /** Waits briefly for the far end: 404/480 (not registered) is USER_OFFLINE; anything else carries on. */
    private void awaitOffline(CompletableFuture<Integer> answer) {
        try {
            int status = answer.get(offlineWaitMs, TimeUnit.MILLISECONDS);
            if (status == 404 || status == 480) {
                throw new ApiException(ErrorCode.USER_OFFLINE, UserText.USER_OFFLINE.text(), Map.of("sipStatus", String.valueOf(status)));
            }
        } catch (TimeoutException | ExecutionException e) {
            // no verdict yet, or a failure the status event reports
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SipUri validate(SendMessageRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "a JSON object with to, type and content is required");
        }
        Map<String, String> problems = new LinkedHashMap<>();
        SipUri to = null;
        try {
            to = SipUri.parse(request.to());
        } catch (IllegalArgumentException e) {
            problems.put("to", e.getMessage());
        }
        String type = request.type() == null ? "TEXT" : request.type().trim().toUpperCase(Locale.ROOT);
        if (type.equals("FILE") || type.equals("IMAGE")) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.MESSAGE_TYPE_NOT_SUPPORTED.format(type),
                    Map.of("type", type + " messages are not supported yet; only TEXT"));
        }
        if (!type.equals("TEXT")) {
            problems.put("type", "must be TEXT");
        }
        if (request.content() == null || request.content().isBlank()) {
            problems.put("content", "must not be empty");
        } else if (request.content().length() > Message.MAX_CONTENT) {
            problems.put("content", "at most " + Message.MAX_CONTENT + " characters");
        }
        String clientMsgId = request.clientMsgId();
        if (clientMsgId != null && (clientMsgId.isBlank() || clientMsgId.length() > MAX_CLIENT_MSG_ID)) {
            problems.put("metadata.clientMsgId", "1 to " + MAX_CLIENT_MSG_ID + " characters");
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.MESSAGE_MALFORMED.text(), problems);
        }
        return to;
    }
}
