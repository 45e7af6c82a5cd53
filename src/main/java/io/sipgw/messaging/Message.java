package io.sipgw.messaging;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import io.sipgw.jpa.TimeOrderedIds;
import java.time.Instant;

/**
 * One entry of one user's conversation. A message between two users of this gateway is two entries,
 * one per side, sharing the {@code messageId}; each side only ever reads its own ({@code ownerId}).
 * Owns the delivery state machine: SENT -> DELIVERED -> READ, SENT -> FAILED.
 */
@Entity
@Table(name = "SIPGW_MESSAGE",
        uniqueConstraints = {
            @UniqueConstraint(name = "UQ_MESSAGE_OWNER_ID", columnNames = {"OWNER_ID", "MESSAGE_ID", "DIRECTION"}),
            @UniqueConstraint(name = "UQ_MESSAGE_DEDUP", columnNames = {"OWNER_ID", "DEDUP_KEY"})
        },
        indexes = @Index(name = "IX_MESSAGE_SESSION", columnList = "OWNER_ID, SESSION_ID, CREATED_AT"))
public class Message {

    public static final int MAX_CONTENT = 4000;

    /** Time-ordered, made by the application (see {@link TimeOrderedIds}); orders a conversation. */
    @Id
    private Long id;

    @Column(name = "MESSAGE_ID", nullable = false, length = 64)
    private String messageId;

    @Column(name = "OWNER_ID", nullable = false, length = 255)
    private String ownerId;

    @Column(name = "PEER_ID", nullable = false, length = 255)
    private String peerId;

    @Column(name = "SESSION_ID", nullable = false, length = 520)
    private String sessionId;

    @Enumerated(EnumType.STRING)
    @Column(name = "DIRECTION", nullable = false, length = 8)
    private Direction direction;

    @Column(name = "FROM_URI", nullable = false, length = 300)
    private String fromUri;

    @Column(name = "TO_URI", nullable = false, length = 300)
    private String toUri;

    @Column(name = "TYPE", nullable = false, length = 8)
    private String type;

    @Column(name = "CONTENT", nullable = false, length = MAX_CONTENT)
    private String content;

    @Column(name = "CLIENT_MSG_ID", length = 128)
    private String clientMsgId;

    /**
     * What makes an entry unique for its owner: the client's id for a send, else the messageId and
     * direction. Never null: Derby's unique constraints over nullable columns lock key ranges on insert
     * and made concurrent inserts wait on each other.
     */
    @Column(name = "DEDUP_KEY", nullable = false, length = 200)
    private String dedupKey;

    @Enumerated(EnumType.STRING)
    @Column(name = "STATUS", nullable = false, length = 10)
    private MessageStatus status;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    @Column(name = "READ_AT")
    private Instant readAt;

    /**
     * In a cluster, the member (its id) that sent this outgoing entry and waits for its SIP answer: when that
     * member dies, another one takes the entry over. Null on a single instance.
     */
    @Column(name = "SENDING_MEMBER", length = 64)
    private String sendingMember;

    protected Message() {
    }

    private Message(String messageId, String ownerId, String peerId, Direction direction, String fromUri,
                    String toUri, String content, String clientMsgId, MessageStatus status, Instant createdAt) {
        this.id = TimeOrderedIds.next();
        this.messageId = messageId;
        this.ownerId = ownerId;
        this.peerId = peerId;
        this.sessionId = sessionId(ownerId, peerId);
        this.direction = direction;
        this.fromUri = fromUri;
        this.toUri = toUri;
        this.type = "TEXT";
        this.content = content;
        this.clientMsgId = clientMsgId;
        this.dedupKey = dedupKey(clientMsgId, messageId, direction);
        this.status = status;
        this.createdAt = createdAt;
    }

    /** The sender's entry of a message about to be sent. */
    public static Message outgoing(String messageId, String ownerId, String peerId, String fromUri, String toUri,
                                   String content, String clientMsgId, Instant at) {
        return new Message(messageId, ownerId, peerId, Direction.OUTGOING, fromUri, toUri, content, clientMsgId,
                MessageStatus.SENT, at);
    }

    /** The recipient's entry of a message that arrived. */
    public static Message incoming(String messageId, String ownerId, String peerId, String fromUri, String toUri,
                                   String content, Instant at) {
        return new Message(messageId, ownerId, peerId, Direction.INCOMING, fromUri, toUri, content, null,
                MessageStatus.DELIVERED, at);
    }

    /** The cluster member that sends this entry and waits for its answer (null without a cluster). */
    void sentBy(String member) {
        sendingMember = member;
    }

    String sendingMember() {
        return sendingMember;
    }

    /** The uniqueness key of an owner's entry: see {@link #dedupKey}. */
    static String dedupKey(String clientMsgId, String messageId, Direction direction) {
        return clientMsgId != null ? "client:" + clientMsgId : direction.name() + ":" + messageId;
    }

    /** The conversation id both participants share: their userIds in order, joined by a dash. */
    public static String sessionId(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
    }

    /** The far end took the message (2xx). Returns false when that changes nothing. */
    public boolean markDelivered() {
        if (status != MessageStatus.SENT && status != MessageStatus.SENDING) {
            return false;
        }
        status = MessageStatus.DELIVERED;
        return true;
    }

    /** Delivery failed (error response or no answer). Returns false when that changes nothing. */
    public boolean markFailed() {
        if (status != MessageStatus.SENT && status != MessageStatus.SENDING) {
            return false;
        }
        status = MessageStatus.FAILED;
        return true;
    }

    /** The recipient has seen the message. Returns false when it was already read or failed. */
    public boolean markRead(Instant at) {
        if (status == MessageStatus.READ || status == MessageStatus.FAILED) {
            return false;
        }
        status = MessageStatus.READ;
        readAt = at;
        return true;
    }

    public boolean isOwn() {
        return direction == Direction.OUTGOING;
    }

    public Long id() {
        return id;
    }

    public String messageId() {
        return messageId;
    }

    public String ownerId() {
        return ownerId;
    }

    public String peerId() {
        return peerId;
    }

    public String sessionId() {
        return sessionId;
    }

    public Direction direction() {
        return direction;
    }

    public String fromUri() {
        return fromUri;
    }

    public String toUri() {
        return toUri;
    }

    public String type() {
        return type;
    }

    public String content() {
        return content;
    }

    public String clientMsgId() {
        return clientMsgId;
    }

    public MessageStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant readAt() {
        return readAt;
    }
}
