package io.sipgw.messaging;

import io.sipgw.auth.LoggedIn;
import io.sipgw.auth.RegistrationsTakenOver;
import io.sipgw.cluster.Cluster;
import io.sipgw.work.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the previous run stored and acknowledged (200 OK) but never heard the SIP answer for, because it
 * stopped or crashed in between: those entries are still SENT. Registrations live in memory, so after a
 * start nobody is registered and they cannot go out at once. A chat user expects a message they saw as sent
 * to arrive when they come back soon, and to be marked failed (so they can send it again) rather than pop
 * up at the recipient long after the conversation moved on. So at start:
 * <ul>
 * <li>an entry older than {@code sipgw.messages.outbox-max-age-seconds} is FAILED at once;</li>
 * <li>the others wait: when their sender logs in, they are sent again in their order (same messageId, so a
 * gateway recipient that stored the first copy stores nothing twice) and end DELIVERED or FAILED as usual;
 * one still waiting when it reaches the maximum age is FAILED then, and the sender's open sockets get
 * MESSAGE_STATUS_UPDATED.</li>
 * </ul>
 * One instance owns every stored entry. In a cluster only the first member to start does this (a member
 * joining a running cluster leaves the SENT entries to the members sending them). When a member leaves the
 * cluster, the member that takes over its registrations takes over the entries it sent and had no answer
 * for ({@link #memberTakenOver}): those of senders registered again here go out again at once through that
 * registration (same messageId), the others (sender not taken over, or older than the maximum age) are
 * FAILED and their senders told (README, Running a cluster).
 */
@ApplicationScoped
public class Outbox {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    @Inject
    MessageStore store;

    @Inject
    Messaging messaging;

    @Inject
    WorkerPool workers;

    @Inject
    Cluster cluster;

    @Inject
    @ConfigProperty(name = "sipgw.messages.outbox-max-age-seconds")
    long maxAgeSeconds;

    /** Entries left unanswered by the previous run, by entry id, until resent or failed. */
    private final ConcurrentMap<Long, Message> waiting = new ConcurrentHashMap<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (!cluster.isAlone()) { // in a running cluster, SENT entries are the other members' messages in flight
            return;
        }
        Instant now = Instant.now();
        int failed = 0;
        for (Message m : store.unanswered()) {
            Duration left = Duration.between(now, m.createdAt().plusSeconds(maxAgeSeconds));
            if (left.isNegative() || left.isZero()) {
                store.deliveryResult(m, false);
                failed++;
            } else {
                waiting.put(m.id(), m);
                workers.schedule(() -> expire(m.id()), left.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (failed > 0 || !waiting.isEmpty()) {
            int old = failed;
            LOG.info(() -> "Messages left unanswered by the previous run: " + old + " too old, marked FAILED; "
                    + waiting.size() + " to send again when their senders log in");
        }
    }

    /**
     * This member took over the registrations of a member that left: the SENT entries that member sent
     * become this member's; each goes out again through the sender's registration here (oldest first, from
     * one worker per sender), or is FAILED (MESSAGE_STATUS_UPDATED) when the sender is not registered here or
     * the entry is older than the maximum age.
     */
    void memberTakenOver(@Observes RegistrationsTakenOver event) {
        List<Message> left = store.takeOverUnanswered(event.memberId(), cluster.localMemberId());
        if (left.isEmpty()) {
            return;
        }
        Instant oldest = Instant.now().minusSeconds(maxAgeSeconds);
        Map<String, List<Message>> resend = new LinkedHashMap<>();
        int failed = 0;
        for (Message m : left) {
            if (event.userIds().contains(m.ownerId()) && m.createdAt().isAfter(oldest)) {
                resend.computeIfAbsent(m.ownerId(), k -> new ArrayList<>()).add(m);
            } else {
                store.deliveryResult(m, false);
                failed++;
            }
        }
        resend.values().forEach(mine -> workers.execute(() -> mine.forEach(messaging::resend)));
        int notSent = failed;
        LOG.info(() -> "Messages member " + event.memberId() + " left unanswered: " + (left.size() - notSent)
                + " sent again from here, " + notSent + " FAILED");
    }

    /** A sender is registered again: their waiting entries go out, oldest first, from one worker. */
    void loggedIn(@Observes(during = TransactionPhase.AFTER_SUCCESS) LoggedIn event) {
        if (waiting.isEmpty()) {
            return;
        }
        List<Message> mine = waiting.values().stream()
                .filter(m -> m.ownerId().equals(event.userId()))
                .filter(m -> waiting.remove(m.id(), m))
                .sorted(Comparator.comparing(Message::id))
                .toList();
        if (!mine.isEmpty()) {
            LOG.fine(() -> "Sending " + mine.size() + " messages of " + event.userId() + " again");
            workers.execute(() -> mine.forEach(messaging::resend));
        }
    }

    private void expire(Long id) {
        Message m = waiting.remove(id);
        if (m != null) {
            workers.execute(() -> store.deliveryResult(m, false));
        }
    }
}
