package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.auth.LoggedOut;
import io.sipgw.media.BridgeFlags;
import io.sipgw.media.MediaPolicy;
import io.sipgw.media.NgException;
import io.sipgw.sip.Invites;
import io.sipgw.sip.OutgoingInvite;
import io.sipgw.sip.Registration;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.sip.SipSendException;
import io.sipgw.sip.SipInput;
import io.sipgw.sip.SipUri;
import io.sipgw.work.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The call use cases: place, answer, reject and hang up (REST), and ending a user's calls when their last
 * session ends. Audio calls are SIP INVITE dialogs carrying the browsers' WebRTC offer and answer; the
 * state rules are {@link Call}'s, the SIP side is the call's {@link Leg} in {@link Legs}.
 */
@ApplicationScoped
public class CallControl {

    private static final Logger LOG = Logger.getLogger(CallControl.class.getName());

    @Inject
    RegistrationTable registrations;

    @Inject
    Invites invites;

    @Inject
    CallStore store;

    @Inject
    CallLookup lookup;

    @Inject
    Legs legs;

    @Inject
    MediaBridge media;

    @Inject
    WorkerPool workers;

    @Inject
    @ConfigProperty(name = "sipgw.calls.first-response-wait-ms")
    long firstResponseWaitMs;

    public Call place(String callerId, SipUri to, CallType type, String offer) {
        Registration registration = registrations.require(callerId);
        String callId = "call-" + UUID.randomUUID();
        // docs/architecture.md "Media relay": decided before anything is stored or sent
        MediaPolicy.Plan plan = media.plan(offer, media.answererOf(to));
        String sdp = offer;
        if (plan.outcome() == MediaPolicy.Outcome.REFUSE) {
            throw new ApiException(ErrorCode.INVALID_SDP, UserText.MEDIA_NOT_COMPATIBLE.text());
        }
        if (plan.anchored()) {
            try {
                sdp = media.offer(callId, offer, BridgeFlags.towardsPlainRtp());
            } catch (NgException e) {
                LOG.log(Level.WARNING, "rtpengine offer for " + callId + " failed", e);
                media.delete(callId);
                throw new ApiException(ErrorCode.SIP_ERROR, UserText.MEDIA_RELAY_FAILED.text());
            } catch (IllegalArgumentException e) {
                throw new ApiException(ErrorCode.INVALID_SDP, UserText.SDP_MALFORMED.text(), Map.of("sdp", e.getMessage()));
            }
        }
        OutgoingInvite invite;
        try {
            invite = invites.prepare(registration, to, sdp, TrickleIce.INFO_PACKAGE);
        } catch (SipSendException e) {
            media.delete(callId);
            throw new ApiException(ErrorCode.SIP_ERROR, UserText.INVITE_NOT_CREATED.text());
        }
        Call call = new Call(callId, callerId, registration.aor().toString(), to.userId(), to.toString(),
                CallDirection.OUTGOING, type, invite.sipCallId(), Legs.now());
        Leg leg = legs.outgoing(store.create(call), invite, plan, offer);
        try {
            invite.start(leg);
        } catch (SipSendException e) {
            LOG.log(Level.WARNING, "INVITE for " + call.callId() + " could not be sent", e);
            leg.serially(() -> legs.finish(leg, c -> c.fail("INVITE could not be sent", Legs.now())));
            throw new ApiException(ErrorCode.SIP_ERROR, UserText.CALL_NOT_SENT.text());
        }
        int first = leg.awaitFirstResponse(firstResponseWaitMs);
        if (first >= 300) {
            throw callFailure(first, call.callId());
        }
        return leg.call();
    }

    /** The POST failed after the call was stored and its events sent: the details name the call (issue 16). */
    private static ApiException callFailure(int status, String callId) {
        Map<String, String> details = Map.of("sipStatus", String.valueOf(status), "callId", callId);
        return switch (status) {
            case 404, 480, 410, 604 -> new ApiException(ErrorCode.USER_OFFLINE, UserText.USER_OFFLINE.text(), details);
            case 486, 600 -> new ApiException(ErrorCode.CALL_BUSY, UserText.CALLEE_BUSY.text(), details);
            case 603 -> new ApiException(ErrorCode.CALL_REJECTED, UserText.CALL_REJECTED.text(), details);
            case 488, 606 -> new ApiException(ErrorCode.INVALID_SDP, UserText.SDP_NOT_ACCEPTED.text(), details);
            default -> new ApiException(ErrorCode.SIP_ERROR, UserText.CALL_FAILED_SIP_STATUS.format(status), details);
        };
    }

    public Call answer(String calleeId, String callId, String answerSdp) {
        own(calleeId, callId).checkAnswerable();
        String sdp = Sdp.requireAudio(answerSdp);
        Leg leg = legs.live(callId);
        // awaited: a media relay failure or mismatch is the answer request's error
        leg.await(() -> {
            legs.answer(leg, sdp);
            return null;
        }, awaitMs());
        leg.awaitAck(firstResponseWaitMs);
        return legs.current(leg);
    }

    /** Declines a ringing incoming call; {@code reason} goes into the 603's Reason header, so it is checked first. */
    public Call reject(String calleeId, String callId, String reason) {
        SipInput.require("reason", reason, SipInput.MAX_REASON);
        own(calleeId, callId).checkRejectable();
        Leg leg = legs.live(callId);
        String text = reason == null || reason.isBlank() ? "Declined" : reason;
        return leg.await(() -> legs.reject(leg, text), awaitMs());
    }

    /** DELETE /calls/{id}: CANCEL while it rings out, reject while it rings in, BYE when active. */
    public Call hangUp(String userId, String callId) {
        Call call = own(userId, callId);
        call.checkNotOver();
        if (call.isRingingIn()) {
            return reject(userId, callId, "Declined");
        }
        Leg leg = legs.live(callId);
        return leg.await(() -> legs.hangUp(leg), awaitMs());
    }

    /**
     * POST /calls/{id}/dtmf: the keys go to the far end as INFO, the first at once, the next ones each a
     * key's duration plus {@link Dtmf#GAP_MS} later, so they arrive in order and as a phone would send them.
     * Returns the call and the keys as they are sent (upper case).
     */
    public DtmfQueued dtmf(String userId, String callId, String digits, Integer durationMs) {
        Map<String, String> problems = new LinkedHashMap<>();
        String digitsProblem = Dtmf.digitsProblem(digits);
        if (digitsProblem != null) {
            problems.put("digits", digitsProblem);
        }
        String durationProblem = Dtmf.durationProblem(durationMs);
        if (durationProblem != null) {
            problems.put("durationMs", durationProblem);
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.DTMF_MALFORMED.text(), problems);
        }
        Call call = own(userId, callId);
        call.checkActive();
        Leg leg = legs.live(callId);
        int duration = durationMs == null ? Dtmf.DEFAULT_DURATION_MS : durationMs;
        String keys = digits.toUpperCase(Locale.ROOT);
        for (int i = 0; i < keys.length(); i++) {
            char key = keys.charAt(i);
            Runnable send = () -> leg.serially(() -> leg.sendDtmf(key, duration));
            if (i == 0) {
                send.run();
            } else {
                workers.schedule(send, (long) i * (duration + Dtmf.GAP_MS), TimeUnit.MILLISECONDS);
            }
        }
        return new DtmfQueued(call, keys);
    }

    /** The call whose far end gets the keys, and the keys as sent: normalised to upper case. */
    public record DtmfQueued(Call call, String keys) {
    }

    /** The user's last session ended: their calls end with it. */
    void loggedOut(@Observes LoggedOut event) {
        if (!event.lastSession()) {
            return;
        }
        for (Leg leg : legs.of(event.userId())) {
            try {
                hangUp(leg.ownerId(), leg.callId());
            } catch (DomainException e) {
                LOG.fine(() -> "Call " + leg.callId() + " ended on its own at logout");
            }
        }
    }

    /**
     * The caller's own call, or NOT_FOUND (also for somebody else's call): while it lives, the state its
     * leg keeps (the leg's serial work checks again before acting); else the stored row, read without a
     * transaction. A leg is never somebody else's call with the same id (ids are random UUIDs).
     */
    private Call own(String userId, String callId) {
        Call live = legs.find(callId).map(Leg::call).orElse(null);
        if (live == null) {
            return lookup.findOwn(userId, callId);
        }
        if (!live.ownerId().equals(userId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, UserText.CALL_NOT_FOUND.text());
        }
        return live;
    }

    private long awaitMs() {
        return firstResponseWaitMs + 5000;
    }
}
