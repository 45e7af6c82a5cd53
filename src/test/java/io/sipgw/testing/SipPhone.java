package io.sipgw.testing;

import gov.nist.javax.sip.SipStackImpl;
import io.sipgw.sip.Digest;
import io.sipgw.sip.DigestChallenge;
import io.sipgw.sip.StackProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A plain SIP phone for tests: its own JAIN-SIP stack on 127.0.0.1 (UDP or TCP), every request routed
 * through one SIP server (a {@code Route} with {@code lr}, as a phone with an outbound proxy does).
 * It registers with digest, sends MESSAGE, places and answers calls, and queues the requests it receives
 * for the test to answer. For tests of the SIP server itself it also builds bare requests and credentials
 * and sends them as they are.
 *
 * <p>Every wait has a timeout ({@link #WAIT_MS}) and fails with what was seen instead.
 */
public final class SipPhone implements QuietSipListener, AutoCloseable {

    public static final long WAIT_MS = 10_000;

    private final String user;
    private final String domain;
    private final String serverHost;
    private final int serverPort;
    private final String transport;
    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final ListeningPoint lp;
    private final AtomicLong cseq = new AtomicLong();
    private final String registerCallId;
    private final ConcurrentHashMap<ClientTransaction, Outgoing> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<RequestEvent> received = new LinkedBlockingQueue<>();
    /** Received requests a wait skipped: a later wait for their method still gets them. */
    private final List<RequestEvent> heldBack = new ArrayList<>();
    /** Set by {@link #register}: then the phone also answers challenges to its MESSAGE and INVITE. */
    private volatile String password;

    /** A phone on UDP. */
    public SipPhone(String user, String domain, String serverHost, int serverPort, int localPort) throws Exception {
        this(user, domain, serverHost, serverPort, localPort, ListeningPoint.UDP);
    }

    /**
     * @param domain    the domain of the phone's address of record ({@code sip:user@domain})
     * @param localPort a free loopback port (JAIN-SIP refuses 0): reserved by the build, or {@link FreePorts#find()}
     * @param transport {@code UDP} or {@code TCP}, for listening and for everything it sends
     */
    public SipPhone(String user, String domain, String serverHost, int serverPort, int localPort, String transport)
            throws Exception {
        this.user = user;
        this.domain = domain;
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        this.transport = transport.toLowerCase();
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        addresses = factory.createAddressFactory();
        headers = factory.createHeaderFactory();
        messages = factory.createMessageFactory();
        // built directly rather than by SipFactory, which would keep every stopped test stack in its cache
        Properties properties = StackProperties.baseline("test-phone-" + user + "-" + UUID.randomUUID());
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        stack = new SipStackImpl(properties);
        stack.start();
        lp = stack.createListeningPoint("127.0.0.1", localPort, this.transport);
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        registerCallId = provider.getNewCallId().getCallId();
    }

    public HeaderFactory headers() {
        return headers;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    /** {@code sip:someone@domain}. */
    public SipURI addressOfRecord(String someone) throws Exception {
        return addresses.createSipURI(someone, domain);
    }

    /** The SIP server itself: {@code sip:host:port;transport=...}. */
    public SipURI serverUri() throws Exception {
        SipURI uri = addresses.createSipURI(null, serverHost);
        uri.setPort(serverPort);
        uri.setTransportParam(transport);
        return uri;
    }

    /** Where this phone is reached: {@code sip:user@127.0.0.1:port}, with the transport unless UDP. */
    public SipURI contactUri() throws Exception {
        SipURI uri = addresses.createSipURI(user, "127.0.0.1");
        uri.setPort(lp.getPort());
        if (!transport.equals("udp")) {
            uri.setTransportParam(transport);
        }
        return uri;
    }

    // ---- registering ------------------------------------------------------------------------------

    /** REGISTERs, answering the digest challenge with {@code password}; returns the final response. */
    public Response register(String password, int expires) throws Exception {
        this.password = password;
        Response response = send(registerRequest(expires)).awaitFinal();
        if (DigestChallenge.of(response).isPresent()) {
            response = send(withCredentials(registerRequest(expires), response, user, password)).awaitFinal();
        }
        return response;
    }

    /** A REGISTER of this phone's contact for {@code expires} seconds, without credentials (next CSeq). */
    public Request registerRequest(int expires) throws Exception {
        Request request = newRequest(Request.REGISTER, serverUri(), addresses.createAddress(addressOfRecord(user)),
                registerCallId);
        request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri())));
        request.addHeader(headers.createExpiresHeader(expires));
        return request;
    }

    /** {@code request} with digest credentials of {@code username} answering the 401/407 {@code challenge}. */
    public Request withCredentials(Request request, Response challenge, String username, String password) {
        DigestChallenge digest = DigestChallenge.of(challenge)
                .orElseThrow(() -> new AssertionError("no digest challenge in " + challenge.getStatusCode()));
        request.setHeader(digest.answer(headers, username, Digest.ha1(username, digest.realm(), password), request));
        return request;
    }

    // ---- out-of-dialog requests -------------------------------------------------------------------

    /** A new out-of-dialog request to {@code to} (new Call-ID, next CSeq, this phone's Contact). */
    public Request request(String method, SipURI to) throws Exception {
        Request request = newRequest(method, to, addresses.createAddress(to), provider.getNewCallId().getCallId());
        request.addHeader(headers.createContactHeader(addresses.createAddress(contactUri())));
        return request;
    }

    /** A text MESSAGE (UTF-8) to {@code to}, without Contact. */
    public Request message(SipURI to, String text) throws Exception {
        Request request = newRequest(Request.MESSAGE, to, addresses.createAddress(to), provider.getNewCallId().getCallId());
        ContentTypeHeader type = headers.createContentTypeHeader("text", "plain");
        type.setParameter("charset", "UTF-8");
        request.setContent(text.getBytes(StandardCharsets.UTF_8), type);
        return request;
    }

    /**
     * Sends a text MESSAGE to {@code sip:toUser@domain}, answering a digest challenge when the phone
     * registered with a password; returns the final status.
     */
    public int sendMessage(String toUser, String text) throws Exception {
        Request request = message(addressOfRecord(toUser), text);
        Response response = send(request).awaitFinal();
        Optional<Request> retry = authorized(request, response);
        return retry.isPresent() ? send(retry.get()).awaitFinal().getStatusCode() : response.getStatusCode();
    }

    /** Sends {@code request} as it is in a new client transaction; the final response is awaited on the result. */
    public Outgoing send(Request request) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(request);
        Outgoing outgoing = new Outgoing(request.getMethod());
        pending.put(tx, outgoing);
        tx.sendRequest();
        return outgoing;
    }

    /** A request this phone sent, outside a call's INVITE: its final response, awaited. */
    public final class Outgoing {
        private final String method;
        private final CompletableFuture<Response> finalResponse = new CompletableFuture<>();

        private Outgoing(String method) {
            this.method = method;
        }

        /** The final response; fails after the timeout or when the transaction timed out. */
        public Response awaitFinal() throws InterruptedException {
            try {
                return finalResponse.get(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(user + " got no final response to " + method + " within " + WAIT_MS + " ms");
            } catch (ExecutionException e) {
                throw new AssertionError(user + "'s " + method + ": " + e.getCause().getMessage(), e.getCause());
            }
        }

        /** The status of the final response. */
        public int status() throws InterruptedException {
            return awaitFinal().getStatusCode();
        }
    }

    /**
     * The request again with credentials, when the response is a digest challenge (a SIP server such as
     * Kamailio that challenges INVITE and MESSAGE) and the phone registered with a password: next CSeq,
     * new branch, same Call-ID and From tag.
     */
    private Optional<Request> authorized(Request challenged, Response response) throws Exception {
        String secret = password;
        if (DigestChallenge.of(response).isEmpty() || secret == null) {
            return Optional.empty();
        }
        Request retry = (Request) challenged.clone();
        retry.removeHeader(ViaHeader.NAME);
        retry.addHeader(headers.createViaHeader("127.0.0.1", lp.getPort(), transport, null));
        CSeqHeader cseqHeader = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
        cseqHeader.setSeqNumber(cseqHeader.getSeqNumber() + 1);
        return Optional.of(withCredentials(retry, response, user, secret));
    }

    // ---- calls ------------------------------------------------------------------------------------

    /** A call this phone placed or answered: its dialog and the responses its INVITE got. */
    public final class PhoneCall {
        private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        private volatile boolean authorized;
        private volatile Dialog dialog;
        private volatile ClientTransaction inviteClient;
        private ServerTransaction inviteServer;
        private volatile Request invite;
        private String localTag;

        /** The next response to our INVITE other than 100 Trying, whatever its status. */
        public Response nextResponse() throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (true) {
                Response r = responses.poll(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (r == null) {
                    throw new AssertionError(user + " got no response to INVITE within " + WAIT_MS + " ms");
                }
                if (r.getStatusCode() != Response.TRYING) {
                    return r;
                }
            }
        }

        /** The next response to our INVITE with this status; earlier ones are skipped. */
        public Response awaitResponse(int status) throws InterruptedException {
            long deadline = System.currentTimeMillis() + WAIT_MS;
            List<Integer> seen = new ArrayList<>();
            while (System.currentTimeMillis() < deadline) {
                Response r = responses.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                if (r == null) {
                    break;
                }
                if (r.getStatusCode() == status) {
                    return r;
                }
                seen.add(r.getStatusCode());
            }
            throw new AssertionError(user + " got no " + status + " within " + WAIT_MS + " ms; saw " + seen);
        }

        /** ACKs a 2xx answer to our INVITE. */
        public void ack(Response ok) throws Exception {
            long seq = ((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(seq));
        }

        /** CANCELs our INVITE while it is pending; the CANCEL's own final response is awaited on the result. */
        public Outgoing cancel() throws Exception {
            return send(inviteClient.createCancel());
        }

        /** Sends a request (BYE, INFO) in the dialog, with an {@code application/<contentSubType>} body or none. */
        public Outgoing sendInDialog(String method, String contentSubType, String body) throws Exception {
            Request request = dialog.createRequest(method);
            if (body != null) {
                request.setContent(body.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", contentSubType));
            }
            ClientTransaction tx = provider.getNewClientTransaction(request);
            Outgoing outgoing = new Outgoing(method);
            pending.put(tx, outgoing);
            dialog.sendRequest(tx);
            return outgoing;
        }

        /** Answers the INVITE this phone received with a provisional or final response (one To tag throughout). */
        public void respond(int status, String sdp) throws Exception {
            Response response = messages.createResponse(status, invite);
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
            response.addHeader(headers.createContactHeader(addresses.createAddress(contactUri())));
            if (sdp != null) {
                response.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
            }
            inviteServer.sendResponse(response);
        }

        public Request invite() {
            return invite;
        }
    }

    /** Calls {@code sip:toUser@domain} with an SDP offer. */
    public PhoneCall call(String toUser, String sdp) throws Exception {
        return call(addressOfRecord(toUser), sdp);
    }

    /** Calls {@code to} with an SDP offer, or with no body when {@code sdp} is null. */
    public PhoneCall call(SipURI to, String sdp) throws Exception {
        Request request = request(Request.INVITE, to);
        if (sdp != null) {
            request.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
        }
        PhoneCall call = new PhoneCall();
        sendInvite(call, request);
        return call;
    }

    private void sendInvite(PhoneCall call, Request invite) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(invite);
        tx.setApplicationData(call);
        call.dialog = provider.getNewDialog(tx);
        call.invite = invite;
        call.inviteClient = tx;
        tx.sendRequest();
    }

    /** Takes an INVITE this phone received: the call's dialog is created, nothing is answered yet. */
    public PhoneCall accept(RequestEvent inviteEvent) throws Exception {
        PhoneCall call = new PhoneCall();
        call.inviteServer = serverTransaction(inviteEvent);
        call.dialog = provider.getNewDialog(call.inviteServer);
        call.invite = inviteEvent.getRequest();
        call.localTag = Long.toHexString(System.nanoTime());
        return call;
    }

    // ---- received requests ------------------------------------------------------------------------

    /** The next received request of this method; others stay queued for later waits. */
    public RequestEvent awaitRequest(String method) throws InterruptedException {
        return awaitRequest(method, r -> true);
    }

    /** The next received request of this method that matches; others stay queued for later waits. */
    public synchronized RequestEvent awaitRequest(String method, Predicate<Request> matching) throws InterruptedException {
        Predicate<RequestEvent> wanted = e -> e.getRequest().getMethod().equals(method) && matching.test(e.getRequest());
        for (Iterator<RequestEvent> it = heldBack.iterator(); it.hasNext(); ) {
            RequestEvent held = it.next();
            if (wanted.test(held)) {
                it.remove();
                return held;
            }
        }
        long deadline = System.currentTimeMillis() + WAIT_MS;
        List<String> seen = new ArrayList<>();
        while (true) {
            RequestEvent event = received.poll(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError(user + " got no " + method + " within " + WAIT_MS + " ms; saw " + seen);
            }
            if (wanted.test(event)) {
                return event;
            }
            heldBack.add(event);
            seen.add(event.getRequest().getMethod());
        }
    }

    /** The methods of the requests received so far and not yet taken by a wait (they stay for later waits). */
    public synchronized List<String> pendingMethods() {
        received.drainTo(heldBack);
        return heldBack.stream().map(e -> e.getRequest().getMethod()).toList();
    }

    /**
     * Answers a received request outside a call's INVITE (creating its server transaction if needed); a
     * To tag is added unless the request had one. Returns the response sent.
     */
    public Response answer(RequestEvent event, int status) throws Exception {
        Response response = messages.createResponse(status, event.getRequest());
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (to.getTag() == null) {
            to.setTag(Long.toHexString(System.nanoTime()));
        }
        serverTransaction(event).sendResponse(response);
        return response;
    }

    private ServerTransaction serverTransaction(RequestEvent event) throws Exception {
        return event.getServerTransaction() != null ? event.getServerTransaction()
                : provider.getNewServerTransaction(event.getRequest());
    }

    /** The body of a request or response as UTF-8 text ("" when it has none). */
    public static String body(javax.sip.message.Message message) {
        return message.getRawContent() == null ? "" : new String(message.getRawContent(), StandardCharsets.UTF_8);
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private Request newRequest(String method, javax.sip.address.URI requestUri, Address to, String callId) throws Exception {
        Request request = messages.createRequest(requestUri, method,
                headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq.incrementAndGet(), method),
                headers.createFromHeader(addresses.createAddress(addressOfRecord(user)), Long.toHexString(System.nanoTime())),
                headers.createToHeader(to, null),
                new ArrayList<ViaHeader>(List.of(headers.createViaHeader("127.0.0.1", lp.getPort(), transport, null))),
                headers.createMaxForwardsHeader(70));
        SipURI route = addresses.createSipURI(null, serverHost);
        route.setPort(serverPort);
        if (!transport.equals("udp")) {
            route.setTransportParam(transport);
        }
        route.setLrParam();
        request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        return request;
    }

    @Override
    public void processRequest(RequestEvent event) {
        received.add(event);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction tx = event.getClientTransaction();
        if (tx == null) {
            return; // a retransmitted 2xx to an INVITE already answered: the dialog has ACKed it
        }
        if (tx.getApplicationData() instanceof PhoneCall call) {
            call.responses.add(event.getResponse());
            if (!call.authorized) {
                try {
                    Optional<Request> retry = authorized(call.invite, event.getResponse());
                    if (retry.isPresent()) {
                        call.authorized = true;
                        sendInvite(call, retry.get());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot answer the challenge to " + user + "'s INVITE", e);
                }
            }
            return;
        }
        Outgoing outgoing = pending.get(tx);
        if (outgoing != null && event.getResponse().getStatusCode() >= 200) {
            pending.remove(tx);
            outgoing.finalResponse.complete(event.getResponse());
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.getClientTransaction() != null) {
            Outgoing outgoing = pending.remove(event.getClientTransaction());
            if (outgoing != null) {
                outgoing.finalResponse.completeExceptionally(new AssertionError("SIP transaction timed out"));
            }
        }
    }

    @Override
    public void close() {
        provider.removeSipListener(this);
        try {
            stack.deleteSipProvider(provider);
            stack.deleteListeningPoint(lp);
        } catch (Exception e) {
            // the stack stops anyway
        }
        stack.stop();
    }
}
