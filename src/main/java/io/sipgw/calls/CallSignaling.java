package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.auth.LoggedOut;
import io.sipgw.auth.Logins;
import io.sipgw.events.ClientFrameReceived;
import io.sipgw.metrics.LiveCount;
import io.sipgw.sip.DigestChallenge;
import io.sipgw.sip.Registration;
import io.sipgw.sip.Registrations;
import io.sipgw.sip.SipUri;
import io.sipgw.sip.SipUserAgent;
import io.sipgw.users.User;
import io.sipgw.users.UserDirectory;
import io.sipgw.users.UserStatus;
import io.sipgw.work.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Audio calls as SIP INVITE dialogs carrying the browsers' WebRTC offer and answer, with trickle ICE in
 * INFO (RFC 8840). REST and WebSocket requests come in through the public methods; stack events arrive
 * through each call's {@link Leg}, one after the other, off the SIP thread. Every state change goes
 * through {@link CallStore#transition} and so through the {@link Call} state machine.
 */
@ApplicationScoped
public class CallSignaling {

    private static final Logger LOG = Logger.getLogger(CallSignaling.class.getName());

    @Inject
    SipUserAgent agent;

    @Inject
    Registrations registrations;

    @Inject
    CallStore store;

    @Inject
    Logins logins;

    @Inject
    UserDirectory directory;

    @Inject
    Event<IceCandidateReceived> candidates;

    @Inject
    WorkerPool executor;

    @Inject
    @ConfigProperty(name = "sipgw.calls.ring-timeout-seconds")
    long ringTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.calls.ack-timeout-seconds")
    long ackTimeoutSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.calls.first-response-wait-ms")
    long firstResponseWaitMs;

    private final Map<String, Leg> legs = new ConcurrentHashMap<>();
    private final Map<String, Leg> incomingBySipCallId = new ConcurrentHashMap<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        int failed = store.failLeftovers();
        if (failed > 0) {
            LOG.info(() -> failed + " calls left open by a previous run were marked FAILED");
        }
        agent.onRequest(Request.INVITE, this::incomingInvite);
        agent.onRequest(Request.CANCEL, this::incomingCancel);
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

    // ---- REST: place, answer, reject, hang up -------------------------------------------------------

    public Call place(String callerId, SipUri to, String offer) {
        Registration registration = logins.registrationOf(callerId);
        Request invite;
        try {
            invite = agent.newRequest(registration, Request.INVITE, to);
            invite.addHeader(agent.contactOf(registration));
            invite.addHeader(agent.headerFactory().createHeader("Recv-Info", TrickleIce.INFO_PACKAGE));
            invite.addHeader(agent.headerFactory().createAllowHeader("INVITE, ACK, CANCEL, BYE, INFO, OPTIONS, MESSAGE"));
            invite.setContent(offer.getBytes(StandardCharsets.UTF_8), agent.headerFactory().createContentTypeHeader("application", "sdp"));
        } catch (Exception e) {
            throw new ApiException(ErrorCode.SIP_ERROR, "无法创建 INVITE");
        }
        String sipCallId = ((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId();
        Call call = new Call("call-" + UUID.randomUUID(), callerId, registration.aor().toString(), to.userId(), to.toString(),
                CallDirection.OUTGOING, sipCallId, now());
        store.create(call);
        Leg leg = new Leg(call.callId(), callerId, CallDirection.OUTGOING, registration, sipCallId, this, executor);
        legs.put(leg.callId, leg);
        leg.ringTimer = executor.schedule(() -> leg.serially(() -> giveUp(leg)), ringTimeoutSeconds + 5, TimeUnit.SECONDS);
        try {
            sendInvite(leg, invite);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "INVITE for " + call.callId() + " could not be sent", e);
            leg.serially(() -> finish(leg, c -> c.fail("INVITE could not be sent", now())));
            throw new ApiException(ErrorCode.SIP_ERROR, "呼叫发送失败");
        }
        int first = awaitFirstResponse(leg);
        if (first >= 300) {
            throw callFailure(first);
        }
        return store.find(call.callId()).orElse(call);
    }

    private int awaitFirstResponse(Leg leg) {
        try {
            return leg.firstResponse.get(firstResponseWaitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static ApiException callFailure(int status) {
        Map<String, String> details = Map.of("sipStatus", String.valueOf(status));
        return switch (status) {
            case 404, 480, 410, 604 -> new ApiException(ErrorCode.USER_OFFLINE, "用户离线", details);
            case 486, 600 -> new ApiException(ErrorCode.CALL_BUSY, "对方忙碌", details);
            case 603 -> new ApiException(ErrorCode.CALL_REJECTED, "呼叫被拒绝", details);
            case 488, 606 -> new ApiException(ErrorCode.INVALID_SDP, "对方不接受该 SDP", details);
            default -> new ApiException(ErrorCode.SIP_ERROR, "呼叫失败：SIP " + status, details);
        };
    }

    public Call answer(String calleeId, String callId, String answerSdp) {
        Call call = store.findOwn(calleeId, callId);
        if (call.direction() != CallDirection.INCOMING) {
            throw new ApiException(ErrorCode.FORBIDDEN, "只有被叫可以接听");
        }
        if (call.state() != CallState.RINGING) {
            throw new ApiException(ErrorCode.INVALID_STATE, "通话不在振铃状态，无法接听", Map.of("state", call.state().name()));
        }
        String sdp = Sdp.requireAudio(answerSdp);
        Leg leg = liveLeg(callId);
        leg.serially(() -> sendAnswer(leg, sdp));
        try {
            leg.acked.get(firstResponseWaitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the ACK turns the call ACTIVE when it comes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return store.find(callId).orElse(call);
    }

    public Call reject(String calleeId, String callId, String reason) {
        Call call = store.findOwn(calleeId, callId);
        if (call.direction() != CallDirection.INCOMING) {
            throw new ApiException(ErrorCode.FORBIDDEN, "只有被叫可以拒绝");
        }
        if (call.state() != CallState.RINGING) {
            throw new ApiException(ErrorCode.INVALID_STATE, "通话不在振铃状态，无法拒绝", Map.of("state", call.state().name()));
        }
        Leg leg = liveLeg(callId);
        String text = reason == null || reason.isBlank() ? "Declined" : reason;
        return await(leg, () -> {
            if (leg.answered) {
                throw new ApiException(ErrorCode.INVALID_STATE, "通话已接听");
            }
            respondToInvite(leg, Response.DECLINE, text);
            return finish(leg, c -> c.reject(text, now()));
        });
    }

    /** DELETE /calls/{id}: CANCEL while it rings out, reject while it rings in, BYE when active. */
    public Call hangUp(String userId, String callId) {
        Call call = store.findOwn(userId, callId);
        if (call.state().isFinal()) {
            throw new ApiException(ErrorCode.INVALID_STATE, "通话已结束", Map.of("state", call.state().name()));
        }
        if (call.direction() == CallDirection.INCOMING && call.state() == CallState.RINGING) {
            return reject(userId, callId, "Declined");
        }
        Leg leg = liveLeg(callId);
        return await(leg, () -> {
            Call current = store.findOwn(userId, callId);
            if (current.state() == CallState.ACTIVE) {
                sendBye(leg);
                return finish(leg, c -> c.end("local hangup", now()));
            }
            leg.cancelled = true;
            sendCancel(leg);
            return finish(leg, c -> c.cancel("caller cancelled", now()));
        });
    }

    // ---- WebSocket: ICE candidates ---------------------------------------------------------------------

    /** Relays a client's candidate to the far end in INFO, or queues it until the dialog exists. */
    public void relayCandidate(String userId, String callId, IceCandidate candidate) {
        Leg leg = legs.get(callId);
        if (leg == null || !leg.ownerId.equals(userId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "通话不存在或已结束", Map.of("callId", String.valueOf(callId)));
        }
        if (candidate.candidate() != null && candidate.candidate().length() > TrickleIce.MAX_CANDIDATE) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "ICE candidate 过长", Map.of("candidate", "too long"));
        }
        leg.serially(() -> {
            if (leg.dialogReady()) {
                sendInfo(leg, candidate);
            } else {
                leg.queued.add(candidate);
            }
        });
    }

    /** ICE_CANDIDATE frames from a client's socket. */
    void clientFrame(@Observes ClientFrameReceived frame) {
        if (!"ICE_CANDIDATE".equals(frame.type())) {
            return;
        }
        JsonObject data = frame.data();
        if (!(data.get("callId") instanceof JsonString callId)) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "ICE_CANDIDATE 缺少 callId", Map.of("callId", "required"));
        }
        IceCandidate candidate;
        JsonValue value = data.get("candidate");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            candidate = new IceCandidate("", 0, null);
        } else if (value instanceof JsonObject c && (c.get("candidate") == null || c.get("candidate") instanceof JsonString)) {
            candidate = new IceCandidate(c.getString("candidate", ""),
                    c.get("sdpMLineIndex") instanceof JsonNumber n ? n.intValue() : 0,
                    c.get("sdpMid") instanceof JsonString mid ? mid.getString() : null);
        } else {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "ICE candidate 格式错误",
                    Map.of("candidate", "an object {candidate, sdpMLineIndex, sdpMid} or null"));
        }
        relayCandidate(frame.userId(), callId.getString(), candidate);
    }

    // ---- stack events, run serially per leg --------------------------------------------------------------

    void inviteResponse(Leg leg, ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status == Response.TRYING) {
            return;
        }
        if (event.getDialog() != null && leg.dialog == null) {
            leg.dialog = event.getDialog();
            leg.dialog.setApplicationData(leg);
        }
        if (status < 200) {
            leg.firstResponse.complete(status);
            if (leg.cancelled) {
                sendCancel(leg);
            }
            flushCandidates(leg);
            return;
        }
        if (status < 300) {
            acknowledge(leg, response);
            leg.firstResponse.complete(status);
            if (leg.cancelled) {
                sendBye(leg);
                forget(leg);
                return;
            }
            leg.stopRingTimer();
            String answer = response.getRawContent() == null ? null : new String(response.getRawContent(), StandardCharsets.UTF_8);
            transitionQuietly(leg, c -> c.activate(now()), answer);
            flushCandidates(leg);
            return;
        }
        if (!leg.cancelled && resendAuthorized(leg, response)) {
            return;
        }
        leg.firstResponse.complete(status);
        String reason = status + " " + response.getReasonPhrase();
        switch (status) {
            case Response.REQUEST_TERMINATED -> finishQuietly(leg, c -> c.cancel(reason, now()));
            case Response.BUSY_HERE, Response.BUSY_EVERYWHERE, Response.DECLINE -> finishQuietly(leg, c -> c.reject(reason, now()));
            default -> finishQuietly(leg, c -> c.fail(reason, now()));
        }
    }

    /**
     * Answers the SIP server's digest challenge (401/407) to our INVITE with the caller's credentials: the
     * same INVITE again, next CSeq, in a new transaction and dialog. False when it cannot be answered.
     */
    private boolean resendAuthorized(Leg leg, Response response) {
        var retry = DigestChallenge.of(response)
                .flatMap(challenge -> challenge.retry(agent.headerFactory(), leg.registration, leg.invite.getRequest()));
        if (retry.isEmpty()) {
            return false;
        }
        try {
            if (leg.dialog != null) {
                leg.dialog.setApplicationData(null);
            }
            sendInvite(leg, retry.get());
            LOG.fine(() -> "INVITE of " + leg.callId + " sent again with credentials");
            return true;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot send the authorized INVITE of " + leg.callId, e);
            return false;
        }
    }

    /**
     * Sends the leg's INVITE (the first, or the one answering a challenge) in a new transaction and dialog.
     * Both are the leg's before the request leaves: the answer (a 407, say) is handled on another thread
     * and can come before the send returns.
     */
    private void sendInvite(Leg leg, Request invite) throws javax.sip.SipException {
        ClientTransaction tx = agent.newClientTransaction(leg.registration.provider(), invite, leg, true);
        leg.invite = tx;
        leg.dialog = tx.getDialog();
        leg.dialog.setApplicationData(leg);
        tx.sendRequest();
    }

    void inviteTimeout(Leg leg) {
        leg.firstResponse.complete(Response.REQUEST_TIMEOUT);
        finishQuietly(leg, c -> c.fail("no answer from the SIP server", now()));
    }

    void inDialogRequest(Leg leg, RequestEvent event) {
        Request request = event.getRequest();
        switch (request.getMethod()) {
            case Request.ACK -> {
                if (leg.direction == CallDirection.INCOMING && leg.answered && !leg.acked.isDone()) {
                    leg.stopRingTimer();
                    transitionQuietly(leg, c -> c.activate(now()), null);
                    // after the transition is stored: the answer request waiting for the ACK reads the state
                    leg.acked.complete(null);
                }
            }
            case Request.BYE -> {
                respond(event, Response.OK);
                finishQuietly(leg, c -> c.state() == CallState.ACTIVE ? c.end("remote hangup", now()) : c.fail("remote hangup", now()));
            }
            case Request.INFO -> {
                ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
                if (type == null || !TrickleIce.CONTENT_SUBTYPE.equalsIgnoreCase(type.getContentSubType())) {
                    respond(event, 469); // Bad Info Package (RFC 6086)
                    return;
                }
                respond(event, Response.OK);
                String body = request.getRawContent() == null ? "" : new String(request.getRawContent(), StandardCharsets.UTF_8);
                for (IceCandidate candidate : TrickleIce.decode(body)) {
                    candidates.fire(new IceCandidateReceived(leg.ownerId, new IceCandidateReceived.Data(leg.callId, candidate)));
                }
            }
            case Request.INVITE -> respond(event, Response.NOT_ACCEPTABLE_HERE); // re-INVITE: media changes unsupported
            case Request.OPTIONS -> respond(event, Response.OK);
            default -> respond(event, Response.NOT_IMPLEMENTED);
        }
    }

    /** An INVITE for a logged-in user: 180 Ringing and INCOMING_CALL, or 486 when the user is BUSY. */
    void incomingInvite(RequestEvent event) {
        Request request = event.getRequest();
        Optional<Registration> callee = request.getRequestURI() instanceof SipURI uri && uri.getUser() != null
                ? registrations.findByContactUser(uri.getUser()) : Optional.empty();
        if (callee.isEmpty()) {
            agent.respond(event, Response.NOT_FOUND);
            return;
        }
        Optional<ServerTransaction> transaction = agent.serverTransaction(event);
        if (transaction.isEmpty()) {
            return;
        }
        ServerTransaction tx = transaction.get();
        String offer;
        try {
            ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
            if (type == null || !"sdp".equalsIgnoreCase(type.getContentSubType()) || request.getRawContent() == null) {
                throw new ApiException(ErrorCode.INVALID_SDP, "no SDP offer");
            }
            offer = Sdp.requireAudio(new String(request.getRawContent(), StandardCharsets.UTF_8));
        } catch (ApiException e) {
            agent.respond(tx, Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        Registration registration = callee.get();
        String sipCallId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        Leg leg = new Leg("call-" + UUID.randomUUID(), registration.aor().userId(), CallDirection.INCOMING, registration,
                sipCallId, this, executor);
        leg.inviteRequest = request;
        leg.inviteServer = tx;
        leg.localTag = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        try {
            leg.dialog = ((javax.sip.SipProvider) event.getSource()).getNewDialog(tx);
            leg.dialog.setApplicationData(leg);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "No dialog for an incoming INVITE", e);
            agent.respond(tx, Response.SERVER_INTERNAL_ERROR);
            return;
        }
        legs.put(leg.callId, leg);
        incomingBySipCallId.put(sipCallId, leg);
        leg.serially(() -> ring(leg, request, offer));
    }

    private void ring(Leg leg, Request request, String offer) {
        Optional<User> user = directory.find(leg.ownerId);
        if (user.isPresent() && user.get().status() == UserStatus.BUSY) {
            respondToInvite(leg, Response.BUSY_HERE, "user is busy");
            forget(leg);
            return;
        }
        SipURI from = (SipURI) ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI();
        String fromDisplay = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getDisplayName();
        String callerId = from.getUser() + "@" + from.getHost().toLowerCase(Locale.ROOT);
        String callerUri = "sip:" + callerId;
        Call call = new Call(leg.callId, leg.ownerId, leg.registration.aor().toString(), callerId, callerUri,
                CallDirection.INCOMING, leg.sipCallId, now());
        Optional<User> caller = directory.find(callerId);
        String displayName = caller.map(User::displayName)
                .orElse(fromDisplay != null && !fromDisplay.isBlank() ? fromDisplay : from.getUser());
        store.ringing(call, new IncomingCall.Data(call.callId(), callerUri,
                new IncomingCall.Caller(callerId, displayName, caller.map(User::avatar).orElse(null)), call.type(), offer));
        respondToInvite(leg, Response.RINGING, null);
        leg.ringTimer = executor.schedule(() -> leg.serially(() -> giveUp(leg)), ringTimeoutSeconds, TimeUnit.SECONDS);
    }

    /** CANCEL of a ringing incoming call: 200 to the CANCEL, 487 to the INVITE, a missed call. */
    void incomingCancel(RequestEvent event) {
        String sipCallId = ((CallIdHeader) event.getRequest().getHeader(CallIdHeader.NAME)).getCallId();
        Leg leg = incomingBySipCallId.get(sipCallId);
        Optional<ServerTransaction> tx = agent.serverTransaction(event);
        if (tx.isEmpty()) {
            return;
        }
        if (leg == null) {
            agent.respond(tx.get(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        agent.respond(tx.get(), Response.OK);
        leg.serially(() -> {
            if (leg.answered) {
                return;
            }
            respondToInvite(leg, Response.REQUEST_TERMINATED, null);
            finishQuietly(leg, c -> c.cancel("caller cancelled", now()));
        });
    }

    /** Nobody answered in time. */
    private void giveUp(Leg leg) {
        if (!legs.containsKey(leg.callId)) {
            return;
        }
        if (leg.direction == CallDirection.INCOMING) {
            if (!leg.answered) {
                respondToInvite(leg, Response.TEMPORARILY_UNAVAILABLE, "no answer");
                finishQuietly(leg, c -> c.fail("no answer", now()));
            }
        } else if (!leg.firstResponse.isDone() || leg.firstResponse.getNow(0) < 200) {
            leg.cancelled = true;
            sendCancel(leg);
            finishQuietly(leg, c -> c.fail("no answer", now()));
        }
    }

    private void ackMissing(Leg leg) {
        if (legs.containsKey(leg.callId) && !leg.acked.isDone()) {
            sendBye(leg);
            finishQuietly(leg, c -> c.fail("no ACK for the answer", now()));
        }
    }

    /** The user's last session ended: their calls end with it. */
    void loggedOut(@Observes LoggedOut event) {
        if (!event.lastSession()) {
            return;
        }
        for (Leg leg : List.copyOf(legs.values())) {
            if (leg.ownerId.equals(event.userId())) {
                try {
                    hangUp(leg.ownerId, leg.callId);
                } catch (ApiException e) {
                    LOG.fine(() -> "Call " + leg.callId + " ended on its own at logout");
                }
            }
        }
    }

    // ---- SIP helpers ------------------------------------------------------------------------------

    private void sendAnswer(Leg leg, String sdp) {
        Call call = store.find(leg.callId).orElseThrow();
        if (call.state() != CallState.RINGING || leg.answered) {
            return;
        }
        try {
            Response ok = agent.newResponse(Response.OK, leg.inviteRequest);
            ((ToHeader) ok.getHeader(ToHeader.NAME)).setTag(leg.localTag);
            ok.addHeader(agent.contactOf(leg.registration));
            ok.setContent(sdp.getBytes(StandardCharsets.UTF_8), agent.headerFactory().createContentTypeHeader("application", "sdp"));
            leg.inviteServer.sendResponse(ok);
            leg.answered = true;
            leg.stopRingTimer();
            // RFC 3261 13.3.1.4: without an ACK within 64*T1 (32 s by default) the call is given up
            leg.ringTimer = executor.schedule(() -> leg.serially(() -> ackMissing(leg)), ackTimeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot answer call " + leg.callId, e);
            finishQuietly(leg, c -> c.fail("answer could not be sent", now()));
        }
    }

    private void respondToInvite(Leg leg, int status, String reasonText) {
        try {
            Response response = agent.newResponse(status, leg.inviteRequest);
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(leg.localTag);
            if (status < 300) {
                response.addHeader(agent.contactOf(leg.registration));
            }
            if (reasonText != null) {
                response.addHeader(agent.headerFactory().createReasonHeader("SIP", status, reasonText));
            }
            leg.inviteServer.sendResponse(response);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot answer " + status + " to the INVITE of " + leg.callId, e);
        }
    }

    private void acknowledge(Leg leg, Response ok) {
        try {
            Dialog dialog = leg.dialog;
            long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot ACK the answer of " + leg.callId, e);
        }
    }

    private void sendBye(Leg leg) {
        sendInDialog(leg, Request.BYE, null, null);
    }

    private void sendInfo(Leg leg, IceCandidate candidate) {
        sendInDialog(leg, Request.INFO, TrickleIce.encode(candidate), candidate);
    }

    private void sendInDialog(Leg leg, String method, String body, IceCandidate candidate) {
        try {
            Dialog dialog = leg.dialog;
            Request request = dialog.createRequest(method);
            if (body != null) {
                request.setContent(body.getBytes(StandardCharsets.UTF_8),
                        agent.headerFactory().createContentTypeHeader(TrickleIce.CONTENT_TYPE, TrickleIce.CONTENT_SUBTYPE));
                request.addHeader(agent.headerFactory().createHeader("Info-Package", TrickleIce.INFO_PACKAGE));
            }
            ClientTransaction tx = leg.registration.provider().getNewClientTransaction(request);
            dialog.sendRequest(tx);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot send " + method + " in call " + leg.callId, e);
        }
    }

    private void sendCancel(Leg leg) {
        ClientTransaction invite = leg.invite;
        if (invite == null || !leg.firstResponse.isDone()) {
            return; // RFC 3261 9.1: CANCEL only after a provisional response; sent when one arrives
        }
        try {
            Request cancel = invite.createCancel();
            leg.registration.provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            LOG.log(Level.FINE, "CANCEL of " + leg.callId + " not sent", e);
        }
    }

    private void flushCandidates(Leg leg) {
        if (!leg.dialogReady()) {
            return;
        }
        for (IceCandidate candidate : leg.queued) {
            sendInfo(leg, candidate);
        }
        leg.queued.clear();
    }

    private void respond(RequestEvent event, int status) {
        agent.serverTransaction(event).ifPresent(tx -> agent.respond(tx, status));
    }

    // ---- state --------------------------------------------------------------------------------------

    private Leg liveLeg(String callId) {
        Leg leg = legs.get(callId);
        if (leg == null) {
            throw new ApiException(ErrorCode.INVALID_STATE, "通话已结束");
        }
        return leg;
    }

    /** Runs work serially on the leg and waits for its result (REST requests). */
    private Call await(Leg leg, java.util.function.Supplier<Call> work) {
        var result = new java.util.concurrent.CompletableFuture<Call>();
        leg.serially(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(firstResponseWaitMs + 5000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw new ApiException(ErrorCode.SIP_ERROR, "SIP 处理失败");
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.SIP_ERROR, "SIP 处理超时");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.SERVER_ERROR, "interrupted");
        }
    }

    private Call finish(Leg leg, Function<Call, CallState> change) {
        try {
            return store.transition(leg.callId, change, null);
        } finally {
            forget(leg);
        }
    }

    private void finishQuietly(Leg leg, Function<Call, CallState> change) {
        try {
            finish(leg, change);
        } catch (ApiException e) {
            LOG.fine(() -> "Call " + leg.callId + " was already final: " + e.getMessage());
        }
    }

    private void transitionQuietly(Leg leg, Function<Call, CallState> change, String sdp) {
        try {
            store.transition(leg.callId, change, sdp);
        } catch (ApiException e) {
            LOG.fine(() -> "Call " + leg.callId + ": " + e.getMessage());
        }
    }

    private void forget(Leg leg) {
        leg.stopRingTimer();
        legs.remove(leg.callId);
        incomingBySipCallId.remove(leg.sipCallId, leg);
        leg.firstResponse.complete(0);
        leg.acked.complete(null);
    }

    void logFailure(Leg leg, Throwable e) {
        LOG.log(Level.WARNING, "Call " + leg.callId + " failed in signalling", e);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
