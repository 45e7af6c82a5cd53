package io.sipgw.calls;

import io.sipgw.sip.Registration;
import io.sipgw.sip.SipUserAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * The live SIP side of one call on this instance: its INVITE transaction, its dialog, the candidates
 * waiting for that dialog and the ring timer. Stack callbacks for the leg are handed to
 * {@link CallSignaling} one after the other on the worker pool, in the order they arrived.
 */
final class Leg implements SipUserAgent.ResponseListener, SipUserAgent.DialogParty {

    final String callId;
    final String ownerId;
    final CallDirection direction;
    final Registration registration;
    final String sipCallId;
    private final CallSignaling signaling;
    private final Executor executor;
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    /** Outgoing: the INVITE client transaction. */
    volatile ClientTransaction invite;
    /** Incoming: the INVITE, its server transaction and the To tag used in every response. */
    volatile Request inviteRequest;
    volatile ServerTransaction inviteServer;
    volatile String localTag;
    volatile Dialog dialog;
    volatile ScheduledFuture<?> ringTimer;
    /** Outgoing: the local user hung up while ringing; a late 2xx is acknowledged and ended at once. */
    volatile boolean cancelled;
    /** Incoming: 200 OK was sent, so a CANCEL comes too late. */
    volatile boolean answered;
    /** Outgoing: the first response other than 100; incoming: unused. */
    final CompletableFuture<Integer> firstResponse = new CompletableFuture<>();
    /** Incoming: the ACK of our 200 OK arrived. */
    final CompletableFuture<Void> acked = new CompletableFuture<>();
    final List<IceCandidate> queued = new ArrayList<>();

    Leg(String callId, String ownerId, CallDirection direction, Registration registration, String sipCallId,
        CallSignaling signaling, Executor executor) {
        this.callId = callId;
        this.ownerId = ownerId;
        this.direction = direction;
        this.registration = registration;
        this.sipCallId = sipCallId;
        this.signaling = signaling;
        this.executor = executor;
    }

    /** Runs work for this leg after every earlier piece of work for it, off the SIP stack thread. */
    synchronized void serially(Runnable work) {
        tail = tail.thenRunAsync(work, executor).exceptionally(e -> {
            signaling.logFailure(this, e);
            return null;
        });
    }

    /** True when in-dialog requests (INFO) can be sent: the far end's tag is known. */
    boolean dialogReady() {
        Dialog d = dialog;
        return d != null && d.getState() != null && d.getState() != DialogState.TERMINATED && d.getRemoteTag() != null;
    }

    void stopRingTimer() {
        ScheduledFuture<?> timer = ringTimer;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    @Override
    public void onResponse(ResponseEvent event) {
        serially(() -> signaling.inviteResponse(this, event));
    }

    @Override
    public void onTimeout() {
        serially(() -> signaling.inviteTimeout(this));
    }

    @Override
    public void onRequest(RequestEvent event) {
        serially(() -> signaling.inDialogRequest(this, event));
    }
}
