package io.sipgw.testing;

import io.sipgw.sip.Digest;
import io.sipgw.sip.DigestChallenge;
import io.sipgw.sip.StackProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * A plain SIP phone for tests: its own JAIN-SIP stack on 127.0.0.1, registers with digest at a SIP
 * server, sends requests through it and queues the requests it receives for the test to answer.
 * Every wait has a timeout.
 */
public final class SipPhone implements QuietSipListener, AutoCloseable {

    private static final long WAIT_MS = 10_000;

    private final String user;
    private final String domain;
    private final String serverHost;
    private final int serverPort;
    private final SipStack stack;
    private final SipProvider provider;
    private final AddressFactory addresses;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final ListeningPoint lp;
    private final AtomicLong cseq = new AtomicLong();
    private final String registerCallId;
    private final ConcurrentHashMap<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<RequestEvent> received = new LinkedBlockingQueue<>();
    /** Set by {@link #register}: then the phone also answers challenges to its MESSAGE and INVITE. */
    private volatile String password;

    public SipPhone(String user, String domain, String serverHost, int serverPort, int localPort) throws Exception {
        this.user = user;
        this.domain = domain;
        this.serverHost = serverHost;
        this.serverPort = serverPort;
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        stack = factory.createSipStack(StackProperties.baseline("test-phone-" + user + "-" + UUID.randomUUID()));
        addresses = factory.createAddressFactory();
        headers = factory.createHeaderFactory();
        messages = factory.createMessageFactory();
        lp = stack.createListeningPoint("127.0.0.1", localPort, "udp");
        provider = stack.createSipProvider(lp);
        provider.addSipListener(this);
        registerCallId = provider.getNewCallId().getCallId();
    }

    /** REGISTERs (answering the digest challenge) and returns the final status. */
    public int register(String password, int expires) throws Exception {
        this.password = password;
        Response response = send(register(expires));
        var challenge = DigestChallenge.of(response);
        if (challenge.isPresent()) {
            Request retry = register(expires);
            retry.addHeader(challenge.get().answer(headers, user, Digest.ha1(user, challenge.get().realm(), password), retry));
            response = send(retry);
        }
        return response.getStatusCode();
    }

    private Request register(int expires) throws Exception {
        SipURI requestUri = addresses.createSipURI(null, serverHost);
        requestUri.setPort(serverPort);
        Request request = newRequest(Request.REGISTER, requestUri, self(), registerCallId);
        SipURI contact = addresses.createSipURI(user, "127.0.0.1");
        contact.setPort(lp.getPort());
        request.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        request.addHeader(headers.createExpiresHeader(expires));
        return request;
    }

    /** Sends a text MESSAGE to {@code sip:toUser@domain} through the server; returns the final status. */
    public int sendMessage(String toUser, String text) throws Exception {
        SipURI target = addresses.createSipURI(toUser, domain);
        Request request = newRequest(Request.MESSAGE, target, addresses.createAddress(target), provider.getNewCallId().getCallId());
        ContentTypeHeader type = headers.createContentTypeHeader("text", "plain");
        type.setParameter("charset", "UTF-8");
        request.setContent(text.getBytes(StandardCharsets.UTF_8), type);
        Response response = send(request);
        Optional<Request> retry = authorized(request, response);
        return retry.isPresent() ? send(retry.get()).getStatusCode() : response.getStatusCode();
    }

    /**
     * The request again with credentials, when the response is a digest challenge (a SIP server such as
     * Kamailio that challenges INVITE and MESSAGE) and the phone registered with a password: next CSeq,
     * new branch, same Call-ID and From tag.
     */
    private Optional<Request> authorized(Request challenged, Response response) throws Exception {
        var challenge = DigestChallenge.of(response);
        String secret = password;
        if (challenge.isEmpty() || secret == null) {
            return Optional.empty();
        }
        Request retry = (Request) challenged.clone();
        retry.removeHeader(ViaHeader.NAME);
        retry.addHeader(headers.createViaHeader("127.0.0.1", lp.getPort(), "udp", null));
        CSeqHeader cseqHeader = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
        cseqHeader.setSeqNumber(cseqHeader.getSeqNumber() + 1);
        retry.addHeader(challenge.get().answer(headers, user, Digest.ha1(user, challenge.get().realm(), secret), retry));
        return Optional.of(retry);
    }

    /** A call this phone placed or answered: its dialog and the responses its INVITE got. */
    public final class PhoneCall {
        private final BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        private volatile boolean authorized;
        private volatile Dialog dialog;
        private ServerTransaction inviteServer;
        private Request invite;
        private String localTag;

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
            long cseq = ((javax.sip.header.CSeqHeader) ok.getHeader(javax.sip.header.CSeqHeader.NAME)).getSeqNumber();
            dialog.sendAck(dialog.createAck(cseq));
        }

        /** Sends a request (BYE, INFO) in the dialog; returns the final status. */
        public int sendInDialog(String method, String contentSubType, String body) throws Exception {
            Request request = dialog.createRequest(method);
            if (body != null) {
                request.setContent(body.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", contentSubType));
            }
            ClientTransaction tx = provider.getNewClientTransaction(request);
            CompletableFuture<Response> future = new CompletableFuture<>();
            pending.put(tx, future);
            dialog.sendRequest(tx);
            try {
                return future.get(WAIT_MS, TimeUnit.MILLISECONDS).getStatusCode();
            } finally {
                pending.remove(tx);
            }
        }

        /** Answers the INVITE this phone received with a provisional or final response. */
        public void respond(int status, String sdp) throws Exception {
            Response response = messages.createResponse(status, invite);
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
            SipURI contact = addresses.createSipURI(user, "127.0.0.1");
            contact.setPort(lp.getPort());
            response.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
            if (sdp != null) {
                response.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
            }
            inviteServer.sendResponse(response);
        }

        public Request invite() {
            return invite;
        }
    }

    /** Calls {@code sip:toUser@domain} through the server with an SDP offer. */
    public PhoneCall call(String toUser, String sdp) throws Exception {
        SipURI target = addresses.createSipURI(toUser, domain);
        Request request = newRequest(Request.INVITE, target, addresses.createAddress(target), provider.getNewCallId().getCallId());
        SipURI contact = addresses.createSipURI(user, "127.0.0.1");
        contact.setPort(lp.getPort());
        request.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        request.setContent(sdp.getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("application", "sdp"));
        PhoneCall call = new PhoneCall();
        sendInvite(call, request);
        return call;
    }

    private void sendInvite(PhoneCall call, Request invite) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(invite);
        tx.setApplicationData(call);
        call.dialog = provider.getNewDialog(tx);
        call.invite = invite;
        tx.sendRequest();
    }

    /** Takes an INVITE this phone received: the call's dialog is created, nothing is answered yet. */
    public PhoneCall accept(RequestEvent inviteEvent) throws Exception {
        PhoneCall call = new PhoneCall();
        call.inviteServer = inviteEvent.getServerTransaction() != null ? inviteEvent.getServerTransaction()
                : provider.getNewServerTransaction(inviteEvent.getRequest());
        call.dialog = provider.getNewDialog(call.inviteServer);
        call.invite = inviteEvent.getRequest();
        call.localTag = Long.toHexString(System.nanoTime());
        return call;
    }

    /** The next received request of this method that matches; fails after the timeout. */
    public RequestEvent awaitRequest(String method, Predicate<Request> matching) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            RequestEvent event = received.poll(deadline - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                break;
            }
            if (event.getRequest().getMethod().equals(method) && matching.test(event.getRequest())) {
                return event;
            }
            seen.add(event.getRequest().getMethod());
        }
        throw new AssertionError(user + " got no " + method + " within " + WAIT_MS + " ms; saw " + seen);
    }

    /** Answers a received request (creating its server transaction if needed). */
    public void answer(RequestEvent event, int status) throws Exception {
        ServerTransaction tx = event.getServerTransaction() != null ? event.getServerTransaction()
                : provider.getNewServerTransaction(event.getRequest());
        Response response = messages.createResponse(status, event.getRequest());
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
        tx.sendResponse(response);
    }

    public static String body(javax.sip.message.Message message) {
        return message.getRawContent() == null ? "" : new String(message.getRawContent(), StandardCharsets.UTF_8);
    }

    private Request newRequest(String method, javax.sip.address.URI requestUri, Address to, String callId) throws Exception {
        Request request = messages.createRequest(requestUri, method,
                headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq.incrementAndGet(), method),
                headers.createFromHeader(self(), Long.toHexString(System.nanoTime())),
                headers.createToHeader(to, null),
                new ArrayList<ViaHeader>(List.of(headers.createViaHeader("127.0.0.1", lp.getPort(), "udp", null))),
                headers.createMaxForwardsHeader(70));
        SipURI route = addresses.createSipURI(null, serverHost);
        route.setPort(serverPort);
        route.setLrParam();
        request.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        return request;
    }

    private Address self() throws Exception {
        return addresses.createAddress(addresses.createSipURI(user, domain));
    }

    private Response send(Request request) throws Exception {
        ClientTransaction tx = provider.getNewClientTransaction(request);
        CompletableFuture<Response> future = new CompletableFuture<>();
        pending.put(tx, future);
        tx.sendRequest();
        try {
            return future.get(WAIT_MS, TimeUnit.MILLISECONDS);
        } finally {
            pending.remove(tx);
        }
    }

    @Override
    public void processRequest(RequestEvent event) {
        received.add(event);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        if (event.getClientTransaction() != null && event.getClientTransaction().getApplicationData() instanceof PhoneCall call) {
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
        if (event.getClientTransaction() != null && event.getResponse().getStatusCode() >= 200) {
            CompletableFuture<Response> f = pending.get(event.getClientTransaction());
            if (f != null) {
                f.complete(event.getResponse());
            }
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.getClientTransaction() != null) {
            CompletableFuture<Response> f = pending.get(event.getClientTransaction());
            if (f != null) {
                f.completeExceptionally(new AssertionError("SIP transaction timed out"));
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
