package io.sipgw.sip;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * INVITE dialogs of registered users (RFC 3261 13-15): {@link #prepare} makes our INVITE, {@link #onInvite}
 * hands theirs out, and a CANCEL is matched to the INVITE it cancels by Call-ID.
 */
@ApplicationScoped
public class Invites {

    /** The methods this user agent accepts in a call's dialog, for Allow. */
    static final String ALLOW = "INVITE, ACK, CANCEL, BYE, INFO, OPTIONS, MESSAGE";

    @Inject
    SipUserAgent agent;

    @Inject
    IncomingRequests requests;

    @Inject
    TrustedSources trusted;

    private final Map<String, IncomingInvite> bySipCallId = new ConcurrentHashMap<>();

    /**
     * An INVITE from a registered user to {@code to} carrying the offer, with the user's Contact, Allow and
     * Recv-Info ({@code recvInfo}, the info package the caller accepts in INFO); sent by
     * {@link OutgoingInvite#start}. Its {@link OutgoingInvite#sipCallId()} is known before it is sent.
     */
    public OutgoingInvite prepare(Registration from, SipUri to, String sdp, String recvInfo) throws SipSendException {
        try {
            Request invite = agent.requests().newRequest(from, Request.INVITE, to);
            invite.addHeader(agent.requests().contactOf(from));
            invite.addHeader(agent.requests().headerFactory().createHeader("Recv-Info", recvInfo));
            invite.addHeader(agent.requests().headerFactory().createAllowHeader(ALLOW));
            invite.setContent(sdp.getBytes(StandardCharsets.UTF_8), agent.requests().headerFactory().createContentTypeHeader("application", "sdp"));
            return new OutgoingInvite(agent, from, invite);
        } catch (Exception e) {
            throw new SipSendException("Cannot build the INVITE: " + e.getMessage(), e);
        }
    }

    /** Hands every INVITE for a registered user to {@code handler} (on a SIP stack thread), and takes CANCEL. */
    public void onInvite(Consumer<IncomingInvite> handler) {
        requests.on(Request.INVITE, request -> handler.accept(new IncomingInvite(agent, request, this)));
        agent.onRequest(Request.CANCEL, this::cancel);
    }

    /** CANCEL of an INVITE we hold, from a trusted source: 200 to the CANCEL, then its dialog hears of it; else 481 (403 from others). */
    private void cancel(RequestEvent event) {
        String sipCallId = ((CallIdHeader) event.getRequest().getHeader(CallIdHeader.NAME)).getCallId();
        IncomingInvite invite = bySipCallId.get(sipCallId);
        Optional<ServerTransaction> tx = agent.serverTransaction(event);
        if (tx.isEmpty()) {
            return;
        }
        if (invite == null) {
            agent.respond(tx.get(), Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
            return;
        }
        if (!trusted.allows(event.getRequest(), invite.request().recipient())) {
            agent.respond(tx.get(), Response.FORBIDDEN); // only the hop the INVITE came through may cancel it
            return;
        }
        agent.respond(tx.get(), Response.OK);
        invite.cancelReceived();
    }

    void ringing(IncomingInvite invite) {
        bySipCallId.put(invite.sipCallId(), invite);
    }

    void released(IncomingInvite invite) {
        bySipCallId.remove(invite.sipCallId(), invite);
    }
}
