package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.cluster.Cluster;
import io.sipgw.media.BridgeFlags;
import io.sipgw.media.MediaPolicy;
import io.sipgw.media.NgException;
import io.sipgw.media.TrickleFragment;
import io.sipgw.metrics.LiveCount;
import io.sipgw.sip.IncomingInvite;
import io.sipgw.sip.IncomingRequest;
import io.sipgw.sip.Invites;
import io.sipgw.sip.OutgoingInvite;
import io.sipgw.users.User;
import io.sipgw.users.UserLookup;
import io.sipgw.users.UserStatus;
import io.sipgw.work.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The calls with live SIP state on this instance ({@link Leg}), and what their dialogs' events do to them:
 * an incoming INVITE rings (or is busy), responses and requests move the {@link Call} through
 * {@link CallStore#transition}, the ring timer gives up on unanswered calls and the ACK timer on answers
 * nobody acknowledged. Each event runs in its leg's line ({@link Leg#serially}). At start, calls a
 * previous run left open are marked FAILED. In a cluster, when a member leaves (shut down, or killed and
 * removed by Hazelcast), the oldest member left closes the calls whose leg that member held, and every
 * member ends its own legs of calls whose other side that member held ({@link #memberLeft}).
 */
@ApplicationScoped
public class Legs {

    private static final Logger LOG = Logger.getLogger(Legs.class.getName());
    /** The end reason of a call whose side (or other side) lived on a cluster member that left. */
    static final String MEMBER_LOST = "gateway member lost";

    @Inject
    Invites invites;

    @Inject
    CallStore store;

    @Inject
    UserLookup directory;

    @Inject
    Event<IceCandidateReceived> candidates;

    @Inject
    WorkerPool executor;

    @Inject
    MediaBridge media;

    @Inject
    Cluster cluster;

    @Inject
    @ConfigProperty(name = "sipgw.calls.ring-timeout-seconds")
    long ringTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.calls.ack-timeout-seconds")
    long ackTimeoutSeconds;

    private final Map<String, Leg> legs = new ConcurrentHashMap<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        if (cluster.isAlone()) { // in a running cluster, open calls are the other members' live ones
            List<String> failed = store.failLeftovers();
            if (!failed.isEmpty()) {
                LOG.info(() -> failed.size() + " calls left open by a previous run were marked FAILED");
                // their media may still be anchored at rtpengine (a crash skips the delete): free it now
                // rather than after rtpengine's own timeout
                failed.forEach(media::deleteLeftover);
            }
        }
        invites.onInvite(this::incoming);
        cluster.onMemberLeft(member -> executor.execute(() -> memberLeft(member)));
    }

    /**
     * A cluster member left and its calls' SIP state with it. Every member ends its own legs of calls whose
     * other side that member held (BYE, CANCEL or a final response, so no dialog is left waiting; rtpengine's
     * media deleted with the leg); the oldest member left (the one that takes the member's registrations
     * over) closes the member's own rows, which no one else can: ACTIVE ones ENDED, RINGING ones FAILED,
     * CALL_STATE_CHANGED to their owners through the event path, and their media deleted at rtpengine.
     */
    void memberLeft(String member) {
        try {
            endLegsFacing(member);
            if (cluster.isOldestMember()) {
                closeCallsHeldBy(member);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Ending the calls of cluster member " + member + " failed", e);
        }
    }

    private void endLegsFacing(String member) {
        Map<String, List<Leg>> bySipCallId = new HashMap<>();
        legs.values().forEach(leg -> bySipCallId.computeIfAbsent(leg.sipCallId(), k -> new ArrayList<>()).add(leg));
        bySipCallId.remove(null);
        Set<String> facing = store.withSideHeldBy(member, bySipCallId.keySet());
        facing.forEach(sipCallId -> bySipCallId.get(sipCallId).forEach(leg -> leg.serially(() -> endLost(leg))));
        if (!facing.isEmpty()) {
            LOG.info(() -> "Cluster member " + member + " left: ending " + facing.size() + " calls with a side there");
        }
    }

    private void closeCallsHeldBy(String member) {
        List<String> open = store.openHeldBy(member);
        for (String callId : open) {
            try {
                store.transition(callId, c -> c.lostWithMember(MEMBER_LOST, now()), null);
            } catch (DomainException e) {
                LOG.fine(() -> "Call " + callId + " was already final: " + e.getMessage());
            }
            media.deleteLeftover(callId); // anchored or not: the dead member's plan is gone with it
        }
        if (!open.isEmpty()) {
            LOG.info(() -> "Cluster member " + member + " left: " + open.size() + " of its calls closed");
        }
    }

    /** Ends a live leg whose other side was lost with its member. Serial work of the leg. */
    private void endLost(Leg leg) {
        if (!legs.containsKey(leg.callId())) {
            return;
        }
        CallState state = store.find(leg.callId()).map(Call::state).orElse(null);
        try {
            if (state == CallState.RINGING && leg.direction() == CallDirection.INCOMING && !leg.incoming().answered()) {
                leg.incoming().respond(480, MEMBER_LOST);
            } else if (state == CallState.RINGING && leg.direction() == CallDirection.OUTGOING && leg.unanswered()) {
                leg.outgoing().cancel();
            } else {
                leg.dialog().bye();
            }
        } catch (RuntimeException e) { // the far end is gone: what is sent there may fail; the leg ends anyway
            LOG.log(Level.FINE, "Ending the SIP side of " + leg.callId() + " failed", e);
        }
        finishQuietly(leg, c -> c.lostWithMember(MEMBER_LOST, now()));
    }

    /** Number of calls with live SIP state on this instance. */
    public int liveCalls() {
        return legs.size();
    }

    @Produces
    LiveCount liveCallsGauge() {
        return new LiveCount("sipgw.calls.live", "Call legs with live SIP state (ringing or active) on this instance",
                this::liveCalls);
    }

    Optional<Leg> find(String callId) {
        return Optional.ofNullable(legs.get(callId));
    }

    /** The live leg of a call, or INVALID_STATE when its SIP side is gone. */
    Leg live(String callId) {
        Leg leg = legs.get(callId);
        if (leg == null) {
            throw new CallStateException(io.sipgw.api.ErrorCode.INVALID_STATE, UserText.CALL_ENDED.text());
        }
        return leg;
    }

    /** The legs of one user's calls. */
    List<Leg> of(String userId) {
        return legs.values().stream().filter(leg -> leg.ownerId().equals(userId)).toList();
    }

    /**
     * A leg for our INVITE, not sent yet, with its ring timer (the ring timeout plus 5 s for the far end's
     * own); {@code call} is its row as stored, {@code offer} the caller's SDP.
     */
    Leg outgoing(Call call, OutgoingInvite invite, MediaPolicy.Plan plan, String offer) {
        String callId = call.callId();
        Leg leg = new Leg(callId, call.ownerId(), invite, this, executor);
        leg.plan(plan);
        leg.stored(call);
        if (plan.anchored()) {
            // rtpengine has had the caller's offer (CallControl.place): its trickled candidates go there;
            // no to-tag while the callee has not answered
            leg.serially(() -> leg.relayReady(offer, MediaBridge.OFFERER, null));
        }
        legs.put(callId, leg);
        leg.startTimer(executor.schedule(() -> leg.serially(() -> giveUp(leg)), ringTimeoutSeconds + 5, TimeUnit.SECONDS));
        return leg;
    }

    /** An INVITE for a logged-in user: 180 Ringing and INCOMING_CALL, or 486 when the user is BUSY. */
    void incoming(IncomingInvite invite) {
        IncomingRequest request = invite.request();
        if (request.from().userId() == null) {
            request.respond(400); // From is not a SIP URI with a user part: no caller to record
            return;
        }
        String offer;
        try {
            if (!"sdp".equalsIgnoreCase(request.contentSubType()) || request.body() == null) {
                throw new DomainException(io.sipgw.api.ErrorCode.INVALID_SDP, "no SDP offer");
            }
            offer = Sdp.requireAudio(request.text());
        } catch (DomainException e) {
            request.respond(488); // Not Acceptable Here
            return;
        }
        Leg leg = new Leg("call-" + UUID.randomUUID(), request.recipient().aor().userId(), invite, this, executor);
        // docs/architecture.md "Media relay": with a relay the answerer is the web client (WebRTC); without
        // one it is UNKNOWN, so API clients answering with plain RTP keep working
        MediaPolicy.Plan plan = media.plan(offer, media.policy().relay()
                ? MediaPolicy.Answerer.WEBRTC : MediaPolicy.Answerer.UNKNOWN);
        if (plan.outcome() == MediaPolicy.Outcome.REFUSE) {
            request.respond(488);
            return;
        }
        leg.plan(plan);
        if (!invite.attach(leg)) {
            return;
        }
        legs.put(leg.callId(), leg);
        leg.serially(() -> ring(leg, request, offer));
    }

    private void ring(Leg leg, IncomingRequest request, String received) {
        Optional<User> user = directory.find(leg.ownerId());
        if (user.isPresent() && user.get().status() == UserStatus.BUSY) {
            leg.incoming().respond(486, "user is busy");
            forget(leg);
            return;
        }
        String offer = received;
        if (leg.plan().anchored()) {
            try {
                offer = media.offer(leg.callId(), received, BridgeFlags.towardsWebRtc());
            } catch (NgException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "rtpengine offer for incoming " + leg.callId() + " failed", e);
                leg.incoming().respond(503, "media relay failed");
                forget(leg);
                return;
            }
        }
        IncomingRequest.Party from = request.from();
        String callerId = from.user() + "@" + from.host().toLowerCase(Locale.ROOT);
        String callerUri = "sip:" + callerId;
        Call call = new Call(leg.callId(), leg.ownerId(), request.recipient().aor().toString(), callerId, callerUri,
                CallDirection.INCOMING, CallType.offeredIn(received), leg.sipCallId(), now());
        Optional<User> caller = directory.find(callerId);
        String displayName = caller.map(User::displayName)
                .orElse(from.displayName() != null && !from.displayName().isBlank() ? from.displayName() : from.user());
        leg.stored(store.ringing(call, new IncomingCall.Data(call.callId(), callerUri,
                new IncomingCall.Caller(callerId, displayName, caller.map(User::avatar).orElse(null)), call.type(), offer)));
        leg.incoming().respond(180, null);
        leg.startTimer(executor.schedule(() -> leg.serially(() -> giveUp(leg)), ringTimeoutSeconds, TimeUnit.SECONDS));
    }

    // ---- local decisions, serial work of the leg ----------------------------------------------------------

    /** Accepts the ringing incoming call: 200 OK with the answer, then the ACK timer. */
    void answer(Leg leg, String sdp) {
        Call call = current(leg);
        IncomingInvite invite = leg.incoming();
        if (call.state() != CallState.RINGING || invite.answered()) {
            return;
        }
        MediaPolicy.Plan plan = leg.plan();
        String answer = sdp;
        if (plan.anchored()) {
            try {
                answer = media.answer(leg.callId(), sdp, BridgeFlags.towardsPlainRtp());
            } catch (NgException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "rtpengine answer for " + leg.callId() + " failed", e);
                invite.respond(503, "media relay failed");
                finishQuietly(leg, c -> c.fail("media relay failed", now()));
                throw new ApiException(ErrorCode.SIP_ERROR, UserText.MEDIA_RELAY_FAILED.text());
            }
        } else if (plan != Leg.DIRECT && !MediaBridge.fits(plan, sdp)) {
            invite.respond(488, "media mismatch");
            finishQuietly(leg, c -> c.fail("media mismatch", now()));
            throw new ApiException(ErrorCode.INVALID_SDP, UserText.MEDIA_NOT_COMPATIBLE.text());
        }
        if (!invite.answer(answer)) {
            finishQuietly(leg, c -> c.fail("answer could not be sent", now()));
            return;
        }
        if (plan.anchored()) {
            // rtpengine has the browser's answer: its trickled candidates can go there now (after the
            // 200 OK, which they must not delay)
            leg.relayReady(sdp, MediaBridge.ANSWERER, MediaBridge.OFFERER);
        }
        // RFC 3261 13.3.1.4: without an ACK within 64*T1 (32 s by default) the call is given up
        leg.startTimer(executor.schedule(() -> leg.serially(() -> ackMissing(leg)), ackTimeoutSeconds, TimeUnit.SECONDS));
    }

    /** Declines the ringing incoming call (603). */
    Call reject(Leg leg, String reason) {
        if (leg.incoming().answered()) {
            throw new CallStateException(io.sipgw.api.ErrorCode.INVALID_STATE, UserText.CALL_ALREADY_ANSWERED.text());
        }
        leg.incoming().respond(603, reason);
        return finish(leg, c -> c.reject(reason, now()));
    }

    /** Ends an active call with BYE, or cancels one that rings out. */
    Call hangUp(Leg leg) {
        if (current(leg).state() == CallState.ACTIVE) {
            leg.dialog().bye();
            return finish(leg, c -> c.end("local hangup", now()));
        }
        if (leg.dialog() instanceof OutgoingInvite invite) {
            invite.cancel();
        }
        return finish(leg, c -> c.cancel("caller cancelled", now()));
    }

    /** Nobody answered in time. */
    private void giveUp(Leg leg) {
        if (!legs.containsKey(leg.callId())) {
            return;
        }
        if (leg.direction() == CallDirection.INCOMING) {
            if (!leg.incoming().answered()) {
                leg.incoming().respond(480, "no answer");
                finishQuietly(leg, c -> c.fail("no answer", now()));
            }
        } else if (leg.unanswered()) {
            leg.outgoing().cancel();
            finishQuietly(leg, c -> c.fail("no answer", now()));
        }
    }

    private void ackMissing(Leg leg) {
        if (legs.containsKey(leg.callId()) && !leg.isAcked()) {
            leg.dialog().bye();
            finishQuietly(leg, c -> c.fail("no ACK for the answer", now()));
        }
    }

    // ---- dialog events, serial work of the leg ------------------------------------------------------------

    void provisional(Leg leg, int status, String sdp) {
        leg.firstResponse(status);
        if (sdp != null && !leg.hadEarlyMedia()) {
            earlyMedia(leg, sdp);
        }
        leg.flushCandidates();
    }

    /**
     * The first 18x with SDP (early media: ringback, announcements) reaches the caller as CALL_STATE_CHANGED
     * RINGING -> RINGING with that SDP, through rtpengine's {@code answer} when the call is anchored (the
     * 200 OK's answer goes through it again). SDP that cannot be shown (rtpengine fails, or it does not fit
     * a direct call) is not passed on: the call keeps ringing and the 200 OK decides.
     */
    private void earlyMedia(Leg leg, String sdp) {
        MediaPolicy.Plan plan = leg.plan();
        String shown = sdp;
        if (plan.anchored()) {
            try {
                shown = media.answer(leg.callId(), sdp, BridgeFlags.towardsWebRtc());
            } catch (NgException | IllegalArgumentException e) {
                LOG.log(Level.INFO, "rtpengine answer for the early media of " + leg.callId() + " failed", e);
                return;
            }
        } else if (plan != Leg.DIRECT && !MediaBridge.fits(plan, sdp)) {
            LOG.fine(() -> "Early media SDP of " + leg.callId() + " does not fit the offer: not passed on");
            return;
        }
        leg.earlyMediaShown();
        String early = shown;
        transitionQuietly(leg, Call::earlyMedia, early);
    }

    void answered(Leg leg, String sdp) {
        leg.firstResponse(200);
        leg.stopTimer();
        MediaPolicy.Plan plan = leg.plan();
        String answer = sdp;
        if (plan.anchored()) {
            try {
                answer = media.answer(leg.callId(), sdp, BridgeFlags.towardsWebRtc());
            } catch (NgException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "rtpengine answer for " + leg.callId() + " failed", e);
                leg.dialog().bye();
                finishQuietly(leg, c -> c.fail("media relay failed", now()));
                return;
            }
        } else if (plan != Leg.DIRECT && sdp != null && !MediaBridge.fits(plan, sdp)) {
            leg.dialog().bye();
            finishQuietly(leg, c -> c.fail("media mismatch", now()));
            return;
        }
        String shown = answer;
        transitionQuietly(leg, c -> c.activate(now()), shown);
        leg.flushCandidates();
    }

    void failed(Leg leg, int status, String reason) {
        leg.firstResponse(status);
        switch (status) {
            case 487 -> finishQuietly(leg, c -> c.cancel(reason, now()));
            case 486, 600, 603 -> finishQuietly(leg, c -> c.reject(reason, now()));
            default -> finishQuietly(leg, c -> c.fail(reason, now()));
        }
    }

    void timedOut(Leg leg) {
        leg.firstResponse(408);
        finishQuietly(leg, c -> c.fail("no answer from the SIP server", now()));
    }

    void ackReceived(Leg leg) {
        if (leg.direction() == CallDirection.INCOMING && leg.incoming().answered() && !leg.isAcked()) {
            leg.stopTimer();
            transitionQuietly(leg, c -> c.activate(now()), null);
            // after the transition is stored: the answer request waiting for the ACK reads the state
            leg.acked();
        }
    }

    void byeReceived(Leg leg) {
        finishQuietly(leg, c -> c.state() == CallState.ACTIVE ? c.end("remote hangup", now()) : c.fail("remote hangup", now()));
    }

    /** The local client's candidates of an anchored call to rtpengine (serial work of the leg). */
    void trickle(Leg leg, String fromTag, String toTag, TrickleFragment fragment) {
        media.trickle(leg.callId(), fromTag, toTag, fragment);
    }

    void candidatesReceived(Leg leg, List<IceCandidate> received) {
        for (IceCandidate candidate : received) {
            candidates.fire(new IceCandidateReceived(leg.ownerId(), new IceCandidateReceived.Data(leg.callId(), candidate)));
        }
    }

    /** CANCEL of a ringing incoming call: 487 to the INVITE, a missed call. */
    void cancelled(Leg leg) {
        if (leg.incoming().answered()) {
            return;
        }
        leg.incoming().respond(487, null);
        finishQuietly(leg, c -> c.cancel("caller cancelled", now()));
    }

    // ---- state ------------------------------------------------------------------------------------

    /**
     * The live call's state: the leg's copy of what it last committed (no transaction, no database); the
     * stored row only before the leg has one (an answer racing the ring's insert).
     */
    Call current(Leg leg) {
        Call call = leg.call();
        return call != null ? call : store.find(leg.callId()).orElseThrow();
    }

    /** Applies a final transition and forgets the leg. */
    Call finish(Leg leg, Function<Call, CallState> change) {
        try {
            Call call = store.transition(leg.callId(), change, null);
            leg.stored(call);
            return call;
        } finally {
            forget(leg);
        }
    }

    void finishQuietly(Leg leg, Function<Call, CallState> change) {
        try {
            finish(leg, change);
        } catch (DomainException e) {
            LOG.fine(() -> "Call " + leg.callId() + " was already final: " + e.getMessage());
        }
    }

    private void transitionQuietly(Leg leg, Function<Call, CallState> change, String sdp) {
        try {
            leg.stored(store.transition(leg.callId(), change, sdp));
        } catch (DomainException e) {
            LOG.fine(() -> "Call " + leg.callId() + ": " + e.getMessage());
        }
    }

    private void forget(Leg leg) {
        legs.remove(leg.callId());
        leg.close();
        if (leg.plan().anchored()) {
            media.delete(leg.callId());
        }
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
