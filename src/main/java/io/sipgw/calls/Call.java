package io.sipgw.calls;

import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;

/**
 * One user's side of a call, with its state machine: RINGING -> ACTIVE -> ENDED, or RINGING -> REJECTED,
 * CANCELLED or FAILED. Each transition happens here once; an illegal one is an INVALID_STATE error
 * ({@link CallStateException}), and so is a request its state or its owner's side does not allow. A
 * call between two users of this gateway is two rows, one per side, each with its own callId.
 */
@Entity
@Table(name = "SIPGW_CALL", indexes = @Index(name = "IX_CALL_OWNER", columnList = "OWNER_ID, CREATED_AT"))
public class Call {

    @Id
    @Column(name = "CALL_ID", length = 64)
    private String callId;

    @Column(name = "OWNER_ID", nullable = false, length = 255)
    private String ownerId;

    @Column(name = "OWNER_URI", nullable = false, length = 300)
    private String ownerUri;

    @Column(name = "PEER_ID", nullable = false, length = 255)
    private String peerId;

    @Column(name = "PEER_URI", nullable = false, length = 300)
    private String peerUri;

    @Enumerated(EnumType.STRING)
    @Column(name = "DIRECTION", nullable = false, length = 8)
    private CallDirection direction;

    @Column(name = "TYPE", nullable = false, length = 8)
    private String type = "AUDIO";

    @Enumerated(EnumType.STRING)
    @Column(name = "STATE", nullable = false, length = 10)
    private CallState state = CallState.RINGING;

    /** An incoming call that ended without being answered or rejected by its owner. */
    @Column(name = "MISSED", nullable = false)
    private boolean missed;

    @Column(name = "END_REASON", length = 200)
    private String endReason;

    @Column(name = "SIP_CALL_ID", length = 255)
    private String sipCallId;

    @Column(name = "CREATED_AT", nullable = false)
    private Instant createdAt;

    @Column(name = "ANSWERED_AT")
    private Instant answeredAt;

    @Column(name = "ENDED_AT")
    private Instant endedAt;

    /**
     * In a cluster, the member (its id) whose user agent holds this side's live leg: when that member dies,
     * another one closes the call. Null on a single instance.
     */
    @Column(name = "LEG_MEMBER", length = 64)
    private String legMember;

    @Version
    private long version;

    protected Call() {
    }

    public Call(String callId, String ownerId, String ownerUri, String peerId, String peerUri, CallDirection direction,
                String sipCallId, Instant createdAt) {
        this(callId, ownerId, ownerUri, peerId, peerUri, direction, CallType.AUDIO, sipCallId, createdAt);
    }

    public Call(String callId, String ownerId, String ownerUri, String peerId, String peerUri, CallDirection direction,
                CallType type, String sipCallId, Instant createdAt) {
        this.callId = callId;
        this.type = type.name();
        this.ownerId = ownerId;
        this.ownerUri = ownerUri;
        this.peerId = peerId;
        this.peerUri = peerUri;
        this.direction = direction;
        this.sipCallId = sipCallId;
        this.createdAt = createdAt;
    }

    /** The cluster member whose user agent holds this side's leg (null without a cluster). */
    void heldBy(String member) {
        legMember = member;
    }

    /**
     * The member holding the leg died, taking the call's SIP state with it: an active call ENDED (it was
     * answered; its duration stays), a ringing one FAILED (missed, for the callee). Returns the old state.
     */
    public CallState lostWithMember(String reason, Instant at) {
        return state == CallState.ACTIVE ? end(reason, at) : fail(reason, at);
    }

    /** Only the callee answers, and only while it rings. */
    public void checkAnswerable() {
        if (direction != CallDirection.INCOMING) {
            throw new CallStateException(ErrorCode.FORBIDDEN, UserText.ONLY_CALLEE_ANSWERS.text());
        }
        if (state != CallState.RINGING) {
            throw CallStateException.invalid(UserText.CALL_NOT_RINGING_ANSWER.text(), state);
        }
    }

    /** Only the callee rejects, and only while it rings. */
    public void checkRejectable() {
        if (direction != CallDirection.INCOMING) {
            throw new CallStateException(ErrorCode.FORBIDDEN, UserText.ONLY_CALLEE_DECLINES.text());
        }
        if (state != CallState.RINGING) {
            throw CallStateException.invalid(UserText.CALL_NOT_RINGING_DECLINE.text(), state);
        }
    }

    /** Hanging up needs a call that is not over yet. */
    public void checkNotOver() {
        if (state.isFinal()) {
            throw CallStateException.invalid(UserText.CALL_ENDED.text(), state);
        }
    }

    /** Key presses (DTMF) need an active call. */
    public void checkActive() {
        if (state != CallState.ACTIVE) {
            throw CallStateException.invalid(UserText.CALL_NOT_ACTIVE_DTMF.text(), state);
        }
    }

    /** An incoming call that still rings: hanging it up rejects it. */
    public boolean isRingingIn() {
        return direction == CallDirection.INCOMING && state == CallState.RINGING;
    }

    /** The call was answered (200 OK / ACK). */
    public CallState activate(Instant at) {
        CallState old = require(CallState.RINGING, UserText.CALL_NOT_RINGING_CONNECT.text());
        state = CallState.ACTIVE;
        answeredAt = at;
        return old;
    }

    /** The far end of an outgoing call sends media before it answers (a 18x with SDP): the call keeps ringing. */
    public CallState earlyMedia() {
        if (direction != CallDirection.OUTGOING) {
            throw CallStateException.invalid(UserText.CALL_NOT_RINGING_CONNECT.text(), state);
        }
        return require(CallState.RINGING, UserText.CALL_NOT_RINGING_CONNECT.text());
    }

    /** The callee declined, or the far end refused the call. */
    public CallState reject(String reason, Instant at) {
        CallState old = require(CallState.RINGING, UserText.CALL_NOT_RINGING_DECLINE.text());
        return finish(CallState.REJECTED, reason, at, old);
    }

    /** The caller gave up while it rang; for the callee that is a missed call. */
    public CallState cancel(String reason, Instant at) {
        CallState old = require(CallState.RINGING, UserText.CALL_NOT_RINGING_CANCEL.text());
        missed = direction == CallDirection.INCOMING;
        return finish(CallState.CANCELLED, reason, at, old);
    }

    /** The call could not be set up, or nobody answered in time (missed, for the callee). */
    public CallState fail(String reason, Instant at) {
        if (state.isFinal()) {
            throw new CallStateException(ErrorCode.INVALID_STATE, UserText.CALL_ENDED.text());
        }
        CallState old = state;
        missed = direction == CallDirection.INCOMING && state == CallState.RINGING;
        return finish(CallState.FAILED, reason, at, old);
    }

    /** Either side hung up an active call. */
    public CallState end(String reason, Instant at) {
        CallState old = require(CallState.ACTIVE, UserText.CALL_NOT_ACTIVE_HANGUP.text());
        return finish(CallState.ENDED, reason, at, old);
    }

    private CallState finish(CallState next, String reason, Instant at, CallState old) {
        state = next;
        endReason = reason == null ? null : reason.substring(0, Math.min(reason.length(), 200));
        endedAt = at;
        return old;
    }

    private CallState require(CallState expected, String message) {
        if (state != expected) {
            throw CallStateException.invalid(message, state);
        }
        return state;
    }

    /** Seconds from answer to end, or to {@code now} while the call is active; 0 when never answered. */
    public long durationSeconds(Instant now) {
        if (answeredAt == null) {
            return 0;
        }
        return Duration.between(answeredAt, endedAt != null ? endedAt : now).toSeconds();
    }

    /** The caller's URI. */
    public String fromUri() {
        return direction == CallDirection.OUTGOING ? ownerUri : peerUri;
    }

    /** The callee's URI. */
    public String toUri() {
        return direction == CallDirection.OUTGOING ? peerUri : ownerUri;
    }

    public String callId() {
        return callId;
    }

    public String ownerId() {
        return ownerId;
    }

    public String peerId() {
        return peerId;
    }

    public String peerUri() {
        return peerUri;
    }

    /** The SIP Call-ID: shared by both sides of a call between two users of this gateway. */
    public String sipCallId() {
        return sipCallId;
    }

    /** The caller's userId. */
    public String callerId() {
        return direction == CallDirection.OUTGOING ? ownerId : peerId;
    }

    /** The callee's userId. */
    public String calleeId() {
        return direction == CallDirection.OUTGOING ? peerId : ownerId;
    }

    public CallDirection direction() {
        return direction;
    }

    public String type() {
        return type;
    }

    public CallState state() {
        return state;
    }

    public boolean missed() {
        return missed;
    }

    public String endReason() {
        return endReason;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public String legMember() {
        return legMember;
    }
}
