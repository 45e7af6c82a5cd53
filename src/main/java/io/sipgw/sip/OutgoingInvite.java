package io.sipgw.sip;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Our INVITE and the dialog it creates: sent with the offer, sent again with the caller's credentials
 * after a digest challenge (401/407: next CSeq, new transaction and dialog), a 2xx acknowledged, CANCEL
 * only once a provisional response came (RFC 3261 9.1), and a 2xx that arrives after CANCEL acknowledged
 * and ended at once. Built by {@link Invites#prepare}.
 */
public final class OutgoingInvite extends InviteDialog implements ResponseListener {

    private static final Logger LOG = Logger.getLogger(OutgoingInvite.class.getName());

    private final String sipCallId;
    private Request request;
    private ClientTransaction transaction;
    /** A response other than 100 arrived: CANCEL may be sent. */
    private boolean responded;
    private boolean cancelled;

    OutgoingInvite(SipUserAgent agent, Registration registration, Request request) {
        super(agent, registration);
        this.request = request;
        this.sipCallId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    @Override
    public String sipCallId() {
        return sipCallId;
    }

    /** Sends the INVITE; what happens to it goes to {@code listener}. */
    public synchronized void start(DialogEvents listener) throws SipSendException {
        events = listener;
        DigestChallenge.reuseLast(agent.requests().headerFactory(), registration, request);
        try {
            send(request);
        } catch (javax.sip.SipException e) {
            throw new SipSendException("Cannot send the INVITE: " + e.getMessage(), e);
        }
    }

    /**
     * Gives the call up while it rings: CANCEL now when a provisional response came, else as soon as one
     * comes; a 2xx that still arrives is acknowledged and ended with BYE, without a callback.
     */
    public synchronized void cancel() {
        cancelled = true;
        sendCancel();
    }

    /**
     * Sends the INVITE (the first, or the one answering a challenge) in a new transaction and dialog, both
     * kept before the request leaves: the answer (a 407, say) is handled on another thread and can come
     * before the send returns; the lock holds it back until then.
     */
    private void send(Request invite) throws javax.sip.SipException {
        ClientTransaction tx = agent.newClientTransaction(registration.provider(), invite, this, true);
        request = invite;
        transaction = tx;
        dialog = tx.getDialog();
        dialog.setApplicationData(this);
        tx.sendRequest();
    }

    @Override
    public synchronized void onResponse(ResponseEvent event) {
        Response response = event.getResponse();
        int status = response.getStatusCode();
        if (status == Response.TRYING) {
            return;
        }
        if (event.getDialog() != null && dialog == null) {
            dialog = event.getDialog();
            dialog.setApplicationData(this);
        }
        if (status < 200) {
            responded = true;
            if (cancelled) {
                sendCancel();
            }
            events.provisional(status, sdpOf(response));
            return;
        }
        if (status < 300) {
            acknowledge(response);
            responded = true;
            if (cancelled) {
                bye();
                return;
            }
            events.answered(response.getRawContent() == null ? null : new String(response.getRawContent(), StandardCharsets.UTF_8));
            return;
        }
        if (!cancelled && resendAuthorized(response)) {
            return;
        }
        responded = true;
        events.failed(status, status + " " + response.getReasonPhrase());
    }

    /** The body of a provisional response when it is SDP (early media), else null. */
    private static String sdpOf(Response response) {
        byte[] body = response.getRawContent();
        ContentTypeHeader type = (ContentTypeHeader) response.getHeader(ContentTypeHeader.NAME);
        if (body == null || body.length == 0 || type == null
                || !"application".equalsIgnoreCase(type.getContentType()) || !"sdp".equalsIgnoreCase(type.getContentSubType())) {
            return null;
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void onTimeout() {
        events.timedOut();
    }

    /** The same INVITE again with the caller's credentials; false when the challenge cannot be answered. */
    private boolean resendAuthorized(Response response) {
        Optional<Request> retry = DigestChallenge.of(response)
                .flatMap(challenge -> challenge.retry(agent.requests().headerFactory(), registration, transaction.getRequest()));
        if (retry.isEmpty()) {
            return false;
        }
        try {
            if (dialog != null) {
                dialog.setApplicationData(null);
            }
            send(retry.get());
            LOG.fine(() -> "INVITE " + sipCallId + " sent again with credentials");
            return true;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot send the authorized INVITE " + sipCallId, e);
            return false;
        }
    }

    private void acknowledge(Response ok) {
        try {
            long cseq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot ACK the answer to INVITE " + sipCallId, e);
        }
    }

    private void sendCancel() {
        if (transaction == null || !responded) {
            return; // RFC 3261 9.1: CANCEL only after a provisional response; sent when one arrives
        }
        try {
            Request cancel = transaction.createCancel();
            registration.provider().getNewClientTransaction(cancel).sendRequest();
        } catch (Exception e) {
            LOG.log(Level.FINE, "CANCEL of " + sipCallId + " not sent", e);
        }
    }
}
