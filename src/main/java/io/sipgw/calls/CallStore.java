package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.cluster.Cluster;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.function.Function;

/**
 * Stored calls. Every state change fires CALL_STATE_CHANGED to the call's owner after it commits. Each
 * public method is one JTA transaction, so only writes come here on a call's path (its row inserted, then
 * one UPDATE per transition); reads of a live call use the state its {@link Leg} keeps, and other reads
 * go through {@link CallLookup} without a transaction.
 */
@Stateless
public class CallStore {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    @Inject
    Event<CallStateChanged> changed;

    @Inject
    Event<IncomingCall> incoming;

    @Inject
    Cluster cluster;

    /**
     * Stores a new call whose leg this instance holds; returns it (detached once this returns: the leg keeps
     * it as its live state).
     */
    public Call create(Call call) {
        call.heldBy(cluster.localMemberId());
        em.persist(call);
        return call;
    }

    /** Stores a call that rings for its owner (its leg held here) and announces it with the caller's offer; returns it. */
    public Call ringing(Call call, IncomingCall.Data announcement) {
        call.heldBy(cluster.localMemberId());
        em.persist(call);
        incoming.fire(new IncomingCall(call.ownerId(), announcement));
        return call;
    }

    public Optional<Call> find(String callId) {
        return Optional.ofNullable(em.find(Call.class, callId));
    }

    /** The caller's own call, or NOT_FOUND (also for somebody else's call, so nothing leaks). */
    public Call findOwn(String ownerId, String callId) {
        Call call = em.find(Call.class, callId);
        if (call == null || !call.ownerId().equals(ownerId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, UserText.CALL_NOT_FOUND.text());
        }
        return call;
    }

    /**
     * Applies one transition and tells the owner. The call comes from EclipseLink's shared cache (a
     * primary-key find, no SELECT on a single instance) and is written with one UPDATE; the copy returned
     * is the state as committed, which the call's {@link Leg} keeps for the reads of the live call.
     *
     * @param sdp the answer to hand to a caller whose call turned ACTIVE, else null
     * @throws CallStateException INVALID_STATE when the call's state does not allow it
     */
    public Call transition(String callId, Function<Call, CallState> change, String sdp) {
        Call call = em.find(Call.class, callId);
        if (call == null) {
            throw new ApiException(ErrorCode.NOT_FOUND, UserText.CALL_NOT_FOUND.text());
        }
        CallState old = change.apply(call);
        Instant now = Instant.now();
        changed.fire(new CallStateChanged(call.ownerId(), call.direction(), new CallStateChanged.Data(call.callId(),
                old.name(), call.state().name(), call.peerUri(), sdp, call.endReason(),
                call.state().isFinal() ? call.durationSeconds(now) : null)));
        return call;
    }

    /** Calls left ringing or active by a previous run of this instance: their SIP state is gone. */
    /** @return the callIds of the calls marked FAILED */
    public List<String> failLeftovers() {
        List<Call> open = em.createQuery("SELECT c FROM Call c WHERE c.state = :ringing OR c.state = :active", Call.class)
                .setParameter("ringing", CallState.RINGING)
                .setParameter("active", CallState.ACTIVE)
                .getResultList();
        Instant now = Instant.now();
        open.forEach(c -> c.fail("gateway restarted", now));
        return open.stream().map(Call::callId).toList();
    }

    /** The callIds of the calls still ringing or active whose leg {@code member} held. */
    public List<String> openHeldBy(String member) {
        return em.createQuery("SELECT c.callId FROM Call c WHERE c.legMember = :member"
                        + " AND (c.state = :ringing OR c.state = :active)", String.class)
                .setParameter("member", member)
                .setParameter("ringing", CallState.RINGING)
                .setParameter("active", CallState.ACTIVE)
                .getResultList();
    }

    /** Of these SIP Call-IDs, those of calls that have a side whose leg {@code member} held. */
    public Set<String> withSideHeldBy(String member, Collection<String> sipCallIds) {
        if (sipCallIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(em.createQuery("SELECT c.sipCallId FROM Call c WHERE c.legMember = :member"
                        + " AND c.sipCallId IN :ids", String.class)
                .setParameter("member", member)
                .setParameter("ids", sipCallIds)
                .getResultList());
    }

    /** A page of the owner's calls, newest first, filtered by history type. */
    public List<Call> history(String ownerId, HistoryFilter filter, int offset, int limit) {
        return em.createQuery("SELECT c FROM Call c WHERE c.ownerId = :owner" + filter.where()
                        + " ORDER BY c.createdAt DESC, c.callId DESC", Call.class)
                .setParameter("owner", ownerId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    public long count(String ownerId, HistoryFilter filter) {
        return em.createQuery("SELECT COUNT(c) FROM Call c WHERE c.ownerId = :owner" + filter.where(), Long.class)
                .setParameter("owner", ownerId)
                .getSingleResult();
    }

    /**
     * Real calls, counted once each: a call between two users of this gateway is two rows sharing the SIP
     * Call-ID.
     *
     * @param state only calls in this state, or null for all
     */
    public long countCalls(CallState state) {
        var query = em.createQuery("SELECT COUNT(DISTINCT c.sipCallId) FROM Call c"
                + (state == null ? "" : " WHERE c.state = :state"), Long.class);
        if (state != null) {
            query.setParameter("state", state);
        }
        return query.getSingleResult();
    }

    /**
     * A page of every call, one row per real call (the caller's side when both sides are users of this
     * gateway; calls from plain SIP phones only have the callee's side), newest first.
     */
    public List<Call> oneRowPerCall(int offset, int limit) {
        return em.createQuery("SELECT c FROM Call c WHERE " + ONE_ROW_PER_CALL + " ORDER BY c.createdAt DESC, c.callId DESC",
                        Call.class)
                .setParameter("outgoing", CallDirection.OUTGOING)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    public long countOneRowPerCall() {
        return em.createQuery("SELECT COUNT(c) FROM Call c WHERE " + ONE_ROW_PER_CALL, Long.class)
                .setParameter("outgoing", CallDirection.OUTGOING)
                .getSingleResult();
    }

    /** Of these SIP Call-IDs, those whose callee side is a missed call. */
    public Set<String> missedByCallee(Collection<String> sipCallIds) {
        if (sipCallIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(em.createQuery("SELECT c.sipCallId FROM Call c WHERE c.missed = TRUE AND c.sipCallId IN :ids",
                        String.class)
                .setParameter("ids", sipCallIds)
                .getResultList());
    }

    private static final String ONE_ROW_PER_CALL = "(c.direction = :outgoing OR NOT EXISTS (SELECT o FROM Call o"
            + " WHERE o.sipCallId = c.sipCallId AND o.direction = :outgoing))";

    /** The {@code type} filter of GET /calls/history. */
    public enum HistoryFilter {
        ALL(""),
        MISSED(" AND c.missed = TRUE"),
        OUTGOING(" AND c.direction = io.sipgw.calls.CallDirection.OUTGOING"),
        INCOMING(" AND c.direction = io.sipgw.calls.CallDirection.INCOMING");

        private final String where;

        HistoryFilter(String where) {
            this.where = where;
        }

        String where() {
            return where;
        }
    }
}
