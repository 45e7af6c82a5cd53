package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.media.MediaPolicy;
import io.sipgw.media.TrickleFragment;
import io.sipgw.sip.DialogEvents;
import io.sipgw.sip.IncomingInvite;
import io.sipgw.sip.InviteDialog;
import io.sipgw.sip.OutgoingInvite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The live SIP side of one call on this instance: its INVITE dialog, the candidates waiting for that
 * dialog, its ring or ACK timer, and what is known of the first response and the ACK. Every event of the
 * dialog is handed to {@link Legs} one after the other on the worker pool, in the order it arrived
 * ({@link #serially}); REST requests join the same line.
 */
final class Leg implements DialogEvents {

    private static final Logger LOG = Logger.getLogger(Leg.class.getName());

    private final String callId;
    private final String ownerId;
    private final InviteDialog dialog;
    private final Legs legs;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
    private volatile ScheduledFuture<?> timer;
    private volatile boolean closed;
    /** Outgoing: the first response other than 100; done with 0 when the leg ends. */
    private final CompletableFuture<Integer> firstResponse = new CompletableFuture<>();
    /** Incoming: the ACK of our 200 OK arrived, or the leg ended. */
    private final CompletableFuture<Void> acked = new CompletableFuture<>();
    /** Candidates from the local client waiting for the far end's tag; touched only in serial work. */
    private final List<IceCandidate> queued = new ArrayList<>();
    /** What the media relay does with this call (set before the leg's events run; DIRECT by default). */
    private volatile MediaPolicy.Plan plan = DIRECT;
    /** Outgoing: the caller has had the far end's early media SDP (a 18x with SDP); serial work only. */
    private boolean earlyMedia;
    /**
     * Anchored calls: candidates from the local client kept until rtpengine has the client's SDP (rtpengine
     * 10.5 crashed on a fragment from a party it had no SDP from); serial work only.
     */
    private final List<IceCandidate> heldForRelay = new ArrayList<>();
    /** Anchored calls: rtpengine has the local client's SDP, so its candidates go there; serial work only. */
    private boolean relayReady;
    /** Anchored calls: the client's ICE side at rtpengine, null when its SDP takes no fragments; serial work only. */
    private TrickleFragment relayIce;
    private String relayFromTag;
    private String relayToTag;
    /**
     * The call as last committed by this leg's own writes (null until its row is stored): while the leg
     * lives, only this instance writes that row, so reads of the live call come from here, not the database.
     * Each value is a detached copy nobody changes any more.
     */
    private volatile Call call;

    static final MediaPolicy.Plan DIRECT =
            new MediaPolicy.Plan(MediaPolicy.Outcome.DIRECT, MediaPolicy.Kind.PLAIN, MediaPolicy.Kind.PLAIN);

    Leg(String callId, String ownerId, InviteDialog dialog, Legs legs, Executor executor) {
        this.callId = callId;
        this.ownerId = ownerId;
        this.dialog = dialog;
        this.legs = legs;
        this.executor = executor;
    }

    String callId() {
        return callId;
    }

    String ownerId() {
        return ownerId;
    }

    String sipCallId() {
        return dialog.sipCallId();
    }

    CallDirection direction() {
        return dialog instanceof IncomingInvite ? CallDirection.INCOMING : CallDirection.OUTGOING;
    }

    InviteDialog dialog() {
        return dialog;
    }

    /** Incoming legs only. */
    IncomingInvite incoming() {
        return (IncomingInvite) dialog;
    }

    /** Outgoing legs only. */
    OutgoingInvite outgoing() {
        return (OutgoingInvite) dialog;
    }

    /** Runs work for this leg after every earlier piece of work for it, off the SIP stack thread. */
    synchronized void serially(Runnable work) {
        tail = tail.thenRunAsync(work, executor).exceptionally(e -> {
            LOG.log(Level.WARNING, "Call " + callId + " failed in signalling", e);
            return null;
        });
    }

    /** Runs work serially on the leg and waits for its result (REST requests); its domain errors pass through. */
    <T> T await(Supplier<T> work, long timeoutMs) {
        var result = new CompletableFuture<T>();
        serially(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DomainException domain) {
                throw domain;
            }
            throw new ApiException(ErrorCode.SIP_ERROR, UserText.SIP_PROCESSING_FAILED.text());
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.SIP_ERROR, UserText.SIP_PROCESSING_TIMEOUT.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SERVER_ERROR, "interrupted");
        }
    }

    /** The first response other than 100 within {@code ms}; 0 when none came (or the leg ended). */
    int awaitFirstResponse(long ms) {
        try {
            return firstResponse.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    void firstResponse(int status) {
        firstResponse.complete(status);
    }

    /** True while no final response to our INVITE came. */
    boolean unanswered() {
        return !firstResponse.isDone() || firstResponse.getNow(0) < 200;
    }

    /** Waits up to {@code ms} for the ACK of our 200 OK. */
    void awaitAck(long ms) {
        try {
            acked.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the ACK turns the call ACTIVE when it comes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAcked() {
        return acked.isDone();
    }

    void acked() {
        acked.complete(null);
    }

    /** Starts the ring or ACK timer, in place of the one running. */
    void startTimer(ScheduledFuture<?> next) {
        stopTimer();
        timer = next;
    }

    void stopTimer() {
        ScheduledFuture<?> current = timer;
        if (current != null) {
            current.cancel(false);
        }
    }

    MediaPolicy.Plan plan() {
        return plan;
    }

    /** The call as last stored, or null before its row is stored. */
    Call call() {
        return call;
    }

    /** The call as just committed (its row inserted, or a transition applied). */
    void stored(Call committed) {
        call = committed;
    }

    void plan(MediaPolicy.Plan decided) {
        plan = decided;
    }

    /**
     * Sends the candidate in INFO, or keeps it until the dialog can carry it. Serial work only. An anchored
     * call's far end talks to rtpengine, so the local client's candidates are for rtpengine: they go there as
     * a trickle ICE fragment, or wait until rtpengine has the client's SDP ({@link #relayReady}); never in INFO.
     */
    void relay(IceCandidate candidate) {
        if (plan.anchored()) {
            if (!relayReady) {
                if (heldForRelay.size() < TrickleFragment.MAX_CANDIDATES) {
                    heldForRelay.add(candidate);
                }
                return;
            }
            toRelay(List.of(candidate));
            return;
        }
        if (dialog.ready()) {
            send(candidate);
        } else {
            queued.add(candidate);
        }
    }

    /**
     * rtpengine has the local client's SDP {@code clientSdp} (its offer or answer), sent with {@code fromTag}:
     * from now on its candidates go to rtpengine, the ones kept so far first. {@code toTag} is the other
     * party's tag at rtpengine (null while rtpengine has no answer from it). Serial work only.
     */
    void relayReady(String clientSdp, String fromTag, String toTag) {
        relayReady = true;
        relayFromTag = fromTag;
        relayToTag = toTag;
        relayIce = TrickleFragment.of(clientSdp).orElse(null);
        if (relayIce == null) {
            LOG.fine(() -> "Call " + callId + ": the client's SDP takes no trickle ICE fragments at rtpengine;"
                    + " rtpengine learns its address from its ICE checks");
        }
        List<IceCandidate> held = List.copyOf(heldForRelay);
        heldForRelay.clear();
        toRelay(held);
    }

    private void toRelay(List<IceCandidate> candidates) {
        if (relayIce == null || closed || candidates.isEmpty()) {
            return;
        }
        boolean changed = false;
        for (IceCandidate candidate : candidates) {
            changed |= relayIce.add(candidate.candidate(), candidate.sdpMid(), candidate.sdpMLineIndex());
        }
        if (changed) {
            legs.trickle(this, relayFromTag, relayToTag, relayIce);
        }
    }

    /** Whether the caller has had early media SDP; serial work only. */
    boolean hadEarlyMedia() {
        return earlyMedia;
    }

    /** The caller has had early media SDP: later 18x with SDP are not passed on. Serial work only. */
    void earlyMediaShown() {
        earlyMedia = true;
    }

    /** Sends the candidates kept so far, once the dialog can carry them. Serial work only. */
    void flushCandidates() {
        if (!dialog.ready()) {
            return;
        }
        queued.forEach(this::send);
        queued.clear();
    }

    private void send(IceCandidate candidate) {
        dialog.info(TrickleIce.INFO_PACKAGE, TrickleIce.CONTENT_TYPE, TrickleIce.CONTENT_SUBTYPE, TrickleIce.encode(candidate));
    }

    /**
     * Sends one key press in INFO ({@link Dtmf}) if the dialog still carries requests; a key due after the
     * call ended is dropped. Serial work only.
     */
    void sendDtmf(char key, int durationMs) {
        if (closed || !dialog.ready()) {
            return;
        }
        dialog.info(null, Dtmf.CONTENT_TYPE, Dtmf.CONTENT_SUBTYPE, Dtmf.body(key, durationMs));
    }

    /** The leg is over: timers stop, nobody waits any longer, a CANCEL no longer finds the INVITE. */
    void close() {
        closed = true;
        stopTimer();
        firstResponse.complete(0);
        acked.complete(null);
        dialog.release();
    }

    // ---- dialog events, on a SIP stack thread: queued in order ----------------------------------------

    @Override
    public void provisional(int status, String sdp) {
        serially(() -> legs.provisional(this, status, sdp));
    }

    @Override
    public void answered(String sdp) {
        serially(() -> legs.answered(this, sdp));
    }

    @Override
    public void failed(int status, String reason) {
        serially(() -> legs.failed(this, status, reason));
    }

    @Override
    public void timedOut() {
        serially(() -> legs.timedOut(this));
    }

    @Override
    public void ackReceived() {
        serially(() -> legs.ackReceived(this));
    }

    @Override
    public void byeReceived() {
        serially(() -> legs.byeReceived(this));
    }

    @Override
    public boolean infoReceived(String mimeType, String body) {
        if (!mimeType.toLowerCase(java.util.Locale.ROOT).endsWith("/" + TrickleIce.CONTENT_SUBTYPE)) {
            return false;
        }
        serially(() -> legs.candidatesReceived(this, TrickleIce.decode(body)));
        return true;
    }

    @Override
    public void cancelled() {
        serially(() -> legs.cancelled(this));
    }
}
