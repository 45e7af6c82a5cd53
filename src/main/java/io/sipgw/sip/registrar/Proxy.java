package io.sipgw.sip.registrar;

import gov.nist.javax.sip.ServerTransactionExt;
import io.sipgw.sip.Digest;
import java.text.ParseException;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The stateful proxy of the domain (RFC 3261 section 16): forwards every request that is not a REGISTER
 * to the target {@link TargetResolver} picks, relays the responses upstream, cancels pending branches on
 * CANCEL and answers 408 when a branch times out. ACKs for 2xx responses travel end to end and are
 * forwarded statelessly. Initial INVITE, SUBSCRIBE and REFER requests are record-routed, so the rest of
 * their dialog passes here too.
 *
 * <p>Every out-of-dialog request (no To tag) that is not addressed to the server itself first passes the
 * {@link SenderCheck} (407 digest challenge for senders of our domain, the foreign policy for others);
 * requests within a dialog pass only along a route we record-routed ({@link TargetResolver}). ACK and
 * CANCEL are not challenged (RFC 3261 section 22.1): an ACK outside a dialog is dropped, and a CANCEL only
 * ever cancels a transaction whose INVITE passed the check.
 */
final class Proxy {

    private static final Logger LOG = Logger.getLogger(Proxy.class.getName());

    /** Methods the server accepts when addressed itself rather than a user. */
    private static final List<String> OWN_METHODS = List.of(Request.REGISTER, Request.OPTIONS);
    /** Every method the server handles: its own and those it proxies to users. */
    private static final List<String> ALL_METHODS = List.of(Request.REGISTER, Request.OPTIONS, Request.INVITE,
            Request.ACK, Request.BYE, Request.CANCEL, Request.MESSAGE, Request.INFO, Request.UPDATE, Request.PRACK,
            Request.SUBSCRIBE, Request.NOTIFY, Request.REFER, Request.PUBLISH);

    private static final Set<String> DIALOG_CREATING = Set.of(Request.INVITE, Request.SUBSCRIBE, Request.REFER);
    private static final int DEFAULT_MAX_FORWARDS = 70;

    private final SipProvider provider;
    private final SipFactories sip;
    private final ServerIdentity identity;
    private final TargetResolver targets;
    private final SenderCheck senders;

    Proxy(SipProvider provider, SipFactories sip, ServerIdentity identity, TargetResolver targets,
            SenderCheck senders) {
        this.provider = provider;
        this.sip = sip;
        this.identity = identity;
        this.targets = targets;
        this.senders = senders;
    }

    /**
     * Handles a request other than REGISTER, ACK and CANCEL that arrived on {@code st}.
     *
     * @param source the address it came from
     */
    void forward(ServerTransaction st, Request request, String source)
            throws ParseException, SipException, InvalidArgumentException {
        // RFC 3261 section 16.3: the URI scheme (416) and Max-Forwards (483) are checked before the
        // proxy's own policy, so a request nobody could forward is never challenged
        if (!(request.getRequestURI() instanceof SipURI)) {
            st.sendResponse(sip.response(request, Response.UNSUPPORTED_URI_SCHEME));
            return;
        }
        if (!addressesTheServer(request) && maxForwardsExhausted(request)) {
            st.sendResponse(sip.response(request, Response.TOO_MANY_HOPS));
            return;
        }
        Request outgoing = (Request) request.clone();
        boolean routedToUs = removeOwnRoutes(outgoing);
        if (isOutOfDialog(request) && !addressesTheServer(request)) {
            Response refusal = senders.refusal(request, source);
            if (refusal != null) {
                st.sendResponse(refusal);
                return;
            }
            senders.consumeCredentials(outgoing);
        }
        Target target = targets.resolve(outgoing, routedToUs);
        if (target instanceof Target.Reject reject) {
            st.sendResponse(sip.response(request, reject.status(), reject.reason()));
        } else if (target instanceof Target.Server) {
            answerForServer(st, request);
        } else if (!decrementMaxForwards(outgoing)) {
            st.sendResponse(sip.response(request, Response.TOO_MANY_HOPS));
        } else {
            forwardStatefully(st, request, outgoing, ((Target.Forward) target).requestUri());
        }
    }

    private void forwardStatefully(ServerTransaction st, Request request, Request outgoing, URI requestUri)
            throws ParseException, SipException, InvalidArgumentException {
        if (request.getMethod().equals(Request.INVITE)) {
            st.sendResponse(sip.response(request, Response.TRYING));
        }
        outgoing.setRequestURI(requestUri);
        String inboundTransport = ((ViaHeader) request.getHeader(ViaHeader.NAME)).getTransport();
        boolean initial = ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
        if (initial && DIALOG_CREATING.contains(request.getMethod())) {
            RecordRouteHeader recordRoute = sip.headers().createRecordRouteHeader(
                    sip.addresses().createAddress(identity.routeUri(sip.addresses(), inboundTransport)));
            outgoing.addFirst(recordRoute);
        }
        addOwnVia(outgoing, null);
        ProxiedRequest proxied = new ProxiedRequest(st);
        try {
            ClientTransaction branch = provider.getNewClientTransaction(outgoing);
            proxied.forwardOn(branch);
            branch.sendRequest();
        } catch (SipException e) {
            // RFC 3261 section 16.9: a transport error counts as a 503 from the branch
            LOG.fine(() -> "cannot forward " + request.getMethod() + " to " + requestUri + ": " + e);
            st.sendResponse(sip.response(request, Response.SERVICE_UNAVAILABLE));
        }
    }

    /** Forwards an ACK (for a 2xx, end to end) statelessly; an ACK with nowhere to go is dropped. */
    void forwardAck(Request ack) throws ParseException, SipException, InvalidArgumentException {
        if (isOutOfDialog(ack)) {
            LOG.fine(() -> "dropping ACK without To tag for " + ack.getRequestURI());
            return;
        }
        Request outgoing = (Request) ack.clone();
        boolean routedToUs = removeOwnRoutes(outgoing);
        if (!(targets.resolve(outgoing, routedToUs) instanceof Target.Forward target)
                || !decrementMaxForwards(outgoing)) {
            LOG.fine(() -> "dropping ACK for " + ack.getRequestURI());
            return;
        }
        outgoing.setRequestURI(target.requestUri());
        // the same branch for a retransmitted ACK (RFC 3261 section 16.11)
        String upstreamBranch = ((ViaHeader) ack.getHeader(ViaHeader.NAME)).getBranch();
        addOwnVia(outgoing, "z9hG4bK" + Digest.md5Hex("ack:" + upstreamBranch));
        provider.sendRequest(outgoing);
    }

    /** Answers a CANCEL hop by hop and cancels the branch of the INVITE it names. */
    void cancel(ServerTransaction cancelTransaction, Request cancel)
            throws ParseException, SipException, InvalidArgumentException {
        ServerTransaction invite = ((ServerTransactionExt) cancelTransaction).getCanceledInviteTransaction();
        if (invite == null) {
            cancelTransaction.sendResponse(sip.response(cancel, Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST));
            return;
        }
        cancelTransaction.sendResponse(sip.response(cancel, Response.OK));
        if (invite.getApplicationData() instanceof ProxiedRequest proxied) {
            proxied.cancel(provider);
        }
    }

    /** Relays a response upstream: on its server transaction, or statelessly when no transaction matches. */
    void relay(ResponseEvent event) throws SipException, InvalidArgumentException {
        Response response = event.getResponse();
        ClientTransaction branch = event.getClientTransaction();
        if (branch == null) {
            relayStatelessly(response);
            return;
        }
        if (!(branch.getApplicationData() instanceof ProxiedRequest proxied)
                || response.getStatusCode() == Response.TRYING) {
            return; // the answer to a CANCEL we sent, or a 100 that stays on this hop
        }
        Response upstream = (Response) response.clone();
        upstream.removeFirst(ViaHeader.NAME);
        if (proxied.awaitsFinalResponse()) {
            proxied.server().sendResponse(upstream);
        } else if (isSuccessToInvite(response)) {
            provider.sendResponse(upstream); // RFC 3261 section 16.7 step 5: every 2xx to an INVITE goes upstream
        }
        if (response.getStatusCode() < 200) {
            proxied.sendCancelIfDue(provider);
        }
    }

    /** A branch got no final response in time (or could not be reached): 408 upstream. */
    void timedOut(TimeoutEvent event) throws ParseException, SipException, InvalidArgumentException {
        if (event.isServerTransaction()) {
            return;
        }
        if (event.getClientTransaction().getApplicationData() instanceof ProxiedRequest proxied
                && proxied.awaitsFinalResponse()) {
            ServerTransaction st = proxied.server();
            st.sendResponse(sip.response(st.getRequest(), Response.REQUEST_TIMEOUT));
        }
    }

    private void relayStatelessly(Response response) throws SipException {
        ViaHeader top = (ViaHeader) response.getHeader(ViaHeader.NAME);
        if (top == null || !top.getHost().equalsIgnoreCase(identity.host()) || top.getPort() != identity.port()) {
            return;
        }
        Response upstream = (Response) response.clone();
        upstream.removeFirst(ViaHeader.NAME);
        if (upstream.getHeader(ViaHeader.NAME) != null) {
            provider.sendResponse(upstream);
        }
    }

    private void answerForServer(ServerTransaction st, Request request)
            throws ParseException, SipException, InvalidArgumentException {
        boolean options = request.getMethod().equals(Request.OPTIONS);
        Response response = sip.response(request, options ? Response.OK : Response.METHOD_NOT_ALLOWED);
        for (String method : options ? ALL_METHODS : OWN_METHODS) {
            response.addHeader(sip.headers().createAllowHeader(method));
        }
        st.sendResponse(response);
    }

    /** Removes the Route entries naming this server (RFC 3261 section 16.4); true if there were any. */
    private boolean removeOwnRoutes(Request request) {
        boolean removed = false;
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        while (route != null && route.getAddress().getURI() instanceof SipURI uri && identity.addressesUs(uri)) {
            request.removeFirst(RouteHeader.NAME);
            removed = true;
            route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        }
        return removed;
    }

    private static boolean maxForwardsExhausted(Request request) {
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        return maxForwards != null && maxForwards.getMaxForwards() <= 0;
    }

    /** Decrements Max-Forwards, adding it when absent; false when it had reached 0. */
    private boolean decrementMaxForwards(Request request) throws InvalidArgumentException {
        MaxForwardsHeader maxForwards = (MaxForwardsHeader) request.getHeader(MaxForwardsHeader.NAME);
        if (maxForwards == null) {
            request.addHeader(sip.headers().createMaxForwardsHeader(DEFAULT_MAX_FORWARDS));
            return true;
        }
        if (maxForwards.getMaxForwards() <= 0) {
            return false;
        }
        maxForwards.setMaxForwards(maxForwards.getMaxForwards() - 1);
        return true;
    }

    /**
     * Adds this server's Via, with the transport the stack's router will send {@code request} over. The
     * router takes the transport of a URI without one from the top Via, so the Via goes on first (as UDP,
     * the default of RFC 3263 for such a URI) and the router is asked then: asked before, it took the
     * sender's transport, and a MESSAGE that came over TCP went to a UDP contact over TCP.
     */
    private void addOwnVia(Request request, String branch)
            throws SipException, ParseException, InvalidArgumentException {
        ViaHeader via = sip.headers().createViaHeader(identity.host(), identity.port(), ListeningPoint.UDP, branch);
        request.addFirst(via);
        via.setTransport(provider.getSipStack().getRouter().getNextHop(request).getTransport());
    }

    private static boolean isOutOfDialog(Request request) {
        return ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() == null;
    }

    /** The Request-URI names the server itself, not a user (an OPTIONS keepalive, say): nothing to prove. */
    private boolean addressesTheServer(Request request) {
        return request.getRequestURI() instanceof SipURI uri && uri.getUser() == null && identity.servesDomainOf(uri);
    }

    private static boolean isSuccessToInvite(Response response) {
        return response.getStatusCode() / 100 == 2
                && ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod().equals(Request.INVITE);
    }
}
