package io.sipgw.messaging;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stored messages and their state changes. Every change fires its event in the same transaction, so
 * sockets hear of it only after it committed.
 */
@Stateless
public class MessageStore {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    @Inject
    Event<MessageSent> sent;

    @Inject
    Event<MessageReceived> received;

    @Inject
    Event<MessageStatusChanged> statusChanged;

    /**
     * Stores senders' new entries (each announced as MessageSent), all in this one transaction of its own,
     * with no lookup first: when a sender already sent one with the same clientMsgId, the unique key (owner,
     * dedup key) refuses the insert (an EJBException) and the whole transaction; the caller then stores each
     * alone and reads the earlier entry for the refused one ({@link Messaging}).
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void storeOutgoing(List<Message> messages) {
        messages.forEach(em::persist);
        em.flush();
        messages.forEach(m -> sent.fire(new MessageSent(m.ownerId(), m.messageId())));
    }

    /** An entry by its primary key, usually from EclipseLink's shared cache. */
    public Optional<Message> byId(Long id) {
        return Optional.ofNullable(em.find(Message.class, id));
    }

    /**
     * Stores received messages for their recipients, all in this one transaction, and announces each after
     * the commit. A repeat (same recipient and messageId) violates the unique constraint and fails the whole
     * transaction (the caller then stores each alone); no lookup before the insert, so concurrent arrivals
     * never wait on each other's uncommitted rows.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void storeIncoming(List<Message> messages) {
        messages.forEach(em::persist);
        em.flush();
        messages.forEach(m -> received.fire(MessageReceived.of(m)));
    }

    public Optional<Message> findByClientMsgId(String ownerId, String clientMsgId) {
        return em.createQuery("SELECT m FROM Message m WHERE m.ownerId = :owner AND m.dedupKey = :key", Message.class)
                .setParameter("owner", ownerId)
                .setParameter("key", Message.dedupKey(clientMsgId, null, Direction.OUTGOING))
                .getResultStream()
                .findFirst();
    }

    /**
     * The senders' entries still waiting for the far end's answer (SENT), oldest first. Read once at start,
     * when nothing is in flight, so every one of them was left unanswered by the previous run.
     */
    public List<Message> unanswered() {
        return em.createQuery("SELECT m FROM Message m WHERE m.direction = :out AND m.status IN :waiting ORDER BY m.id",
                        Message.class)
                .setParameter("out", Direction.OUTGOING)
                .setParameter("waiting", List.of(MessageStatus.SENT, MessageStatus.SENDING))
                .getResultList();
    }

    /**
     * The senders' entries that cluster member {@code member} sent and never got the SIP answer for (it left
     * the cluster meanwhile), oldest first; from now on they are {@code taker}'s, so that a member taking them
     * over that leaves in turn is taken over the same way.
     */
    public List<Message> takeOverUnanswered(String member, String taker) {
        List<Message> left = em.createQuery("SELECT m FROM Message m WHERE m.sendingMember = :member"
                        + " AND m.direction = :out AND m.status IN :waiting ORDER BY m.id", Message.class)
                .setParameter("member", member)
                .setParameter("out", Direction.OUTGOING)
                .setParameter("waiting", List.of(MessageStatus.SENT, MessageStatus.SENDING))
                .getResultList();
        left.forEach(m -> m.sentBy(taker));
        return left;
    }

    public Optional<Message> find(String ownerId, String messageId, Direction direction) {
        return em.createQuery("SELECT m FROM Message m WHERE m.ownerId = :owner AND m.messageId = :id AND m.direction = :dir",
                        Message.class)
                .setParameter("owner", ownerId)
                .setParameter("id", messageId)
                .setParameter("dir", direction)
                .getResultStream()
                .findFirst();
    }

    /**
     * Records the far end's answer to the sender's MESSAGE and tells the sender. The entry is found by its
     * primary key, usually in EclipseLink's shared cache (it was stored moments ago), so no SELECT; an
     * entry already read or answered does not change.
     *
     * @param sent the sender's entry as it was stored
     */
    public void deliveryResult(Message sent, boolean delivered) {
        deliveryResults(List.of(new DeliveryResults.Result(sent, delivered)));
    }

    /**
     * Records many answers in this one transaction ({@link DeliveryResults}, the group commit), each as
     * {@link #deliveryResult}; every MESSAGE_STATUS_UPDATED goes out after the commit.
     */
    public void deliveryResults(List<DeliveryResults.Result> results) {
        for (DeliveryResults.Result result : results) {
            Message m = em.find(Message.class, result.sent().id());
            if (m == null) {
                continue;
            }
            MessageStatus old = m.status();
            if (result.delivered() ? m.markDelivered() : m.markFailed()) {
                statusChanged.fire(MessageStatusChanged.of(m, old));
            }
        }
    }

    /**
     * The recipient read a message: their entry and, when the sender is a user of this gateway, the
     * sender's entry turn READ, and the sender is told.
     *
     * @throws ApiException NOT_FOUND when the reader has no such message, FORBIDDEN when it is their own
     */
    public void markRead(String readerId, String messageId) {
        Message mine = find(readerId, messageId, Direction.INCOMING).orElseThrow(() ->
                find(readerId, messageId, Direction.OUTGOING).isPresent()
                        ? new ApiException(ErrorCode.FORBIDDEN, UserText.ONLY_RECIPIENT_MARKS_READ.text())
                        : new ApiException(ErrorCode.NOT_FOUND, UserText.MESSAGE_NOT_FOUND.text()));
        Instant now = Instant.now();
        if (!mine.markRead(now)) {
            return;
        }
        find(mine.peerId(), messageId, Direction.OUTGOING)
                .filter(sent -> sent.peerId().equals(readerId))
                .ifPresent(sent -> {
                    MessageStatus old = sent.status();
                    if (sent.markRead(now)) {
                        statusChanged.fire(MessageStatusChanged.of(sent, old));
                    }
                });
    }

    /** A page of one conversation of {@code ownerId}, newest first, optionally before a time. */
    public List<Message> history(String ownerId, String sessionId, Instant before, int offset, int limit) {
        var query = em.createQuery("SELECT m FROM Message m WHERE m.ownerId = :owner AND m.sessionId = :session"
                        + (before == null ? "" : " AND m.createdAt < :before")
                        + " ORDER BY m.createdAt DESC, m.id DESC", Message.class)
                .setParameter("owner", ownerId)
                .setParameter("session", sessionId)
                .setFirstResult(offset)
                .setMaxResults(limit);
        if (before != null) {
            query.setParameter("before", before);
        }
        return query.getResultList();
    }

    public long count(String ownerId, String sessionId, Instant before) {
        var query = em.createQuery("SELECT COUNT(m) FROM Message m WHERE m.ownerId = :owner AND m.sessionId = :session"
                        + (before == null ? "" : " AND m.createdAt < :before"), Long.class)
                .setParameter("owner", ownerId)
                .setParameter("session", sessionId);
        if (before != null) {
            query.setParameter("before", before);
        }
        return query.getSingleResult();
    }

    /** The newest entry of each of the owner's conversations. */
    public List<Message> latestPerSession(String ownerId) {
        List<Long> ids = em.createQuery("SELECT MAX(m.id) FROM Message m WHERE m.ownerId = :owner GROUP BY m.sessionId",
                        Long.class)
                .setParameter("owner", ownerId)
                .getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return em.createQuery("SELECT m FROM Message m WHERE m.id IN :ids", Message.class)
                .setParameter("ids", ids)
                .getResultList();
    }

    /** Unread received messages per conversation of the owner. */
    public Map<String, Long> unreadPerSession(String ownerId) {
        Map<String, Long> unread = new HashMap<>();
        em.createQuery("SELECT m.sessionId, COUNT(m) FROM Message m WHERE m.ownerId = :owner AND m.direction = :in"
                        + " AND m.status <> :read GROUP BY m.sessionId", Object[].class)
                .setParameter("owner", ownerId)
                .setParameter("in", Direction.INCOMING)
                .setParameter("read", MessageStatus.READ)
                .getResultList()
                .forEach(row -> unread.put((String) row[0], (Long) row[1]));
        return unread;
    }

    /**
     * Real messages, counted once each: a message between two users of this gateway is two entries
     * sharing the messageId.
     *
     * @param since only messages created at or after this time, or null for all
     */
    public long countMessages(Instant since) {
        var query = em.createQuery("SELECT COUNT(DISTINCT m.messageId) FROM Message m"
                + (since == null ? "" : " WHERE m.createdAt >= :since"), Long.class);
        if (since != null) {
            query.setParameter("since", since);
        }
        return query.getSingleResult();
    }
}
