package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.Utils;
import io.sipgw.sip.Digest;
import io.sipgw.sip.StackProperties;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import io.sipgw.testing.QuietSipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A SIP user agent for tests, with its own JAIN-SIP stack on a free loopback port (automatic dialog
 * support on, as a phone would have). It records what arrives and lets the test wait for it, with a
 * timeout.
 */
final class TestAgent implements QuietSipListener, AutoCloseable {

    private static final long WAIT_SECONDS = 5;

    final String user;
    final int port;
    final String transport;
    final SipFactories sip;
    private final int serverPort;
    private final SipStack stack;
    private final SipProvider provider;
    private final String registerCallId = UUID.randomUUID().toString();
    private final AtomicLong cseq = new AtomicLong();
    private final BlockingQueue<RequestEvent> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<ResponseEvent> responses = new LinkedBlockingQueue<>();
    private final List<ResponseEvent> heldBack = new ArrayList<>();

    TestAgent(String user, int serverPort) throws Exception {
        this(user, serverPort, ListeningPoint.UDP);
    }

    TestAgent(String user, int serverPort, String transport) throws Exception {
        this.user = user;
        this.serverPort = serverPort;
        this.transport = transport;
        this.port = FreePorts.find();
        this.sip = SipFactories.create();
        Properties properties = StackProperties.baseline("test-agent-" + user + "-" + UUID.randomUUID());
        properties.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        properties.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        this.stack = new SipStackImpl(properties);
        stack.start();
        this.provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, transport));
        provider.addSipListener(this);
    }

    /** {@code sip:<user>@127.0.0.1:<server port>}. */
    SipURI addressOfRecord(String someone) throws Exception {
        SipURI uri = sip.addresses().createSipURI(someone, "127.0.0.1");
        uri.setPort(serverPort);
        return uri;
    }

    /** The URI of the server itself, with this agent's transport. */
    SipURI serverUri() throws Exception {
        SipURI uri = sip.addresses().createSipURI(null, "127.0.0.1");
        uri.setPort(serverPort);
        uri.setTransportParam(transport);
        return uri;
    }

    SipURI contactUri() throws Exception {
        SipURI uri = sip.addresses().createSipURI(user, "127.0.0.1");
        uri.setPort(port);
        if (!transport.equalsIgnoreCase(ListeningPoint.UDP)) {
            uri.setTransportParam(transport);
        }
        return uri;
    }

    /** A new out-of-dialog request from this agent to {@code to}, sent via the server. */
    Request request(String method, SipURI to, String callId, long seq) throws Exception {
        SipURI requestUri = (SipURI) to.clone();
        requestUri.setTransportParam(transport);
        Address from = sip.addresses().createAddress(addressOfRecord(user));
        ViaHeader via = sip.headers().createViaHeader("127.0.0.1", port, transport, null);
        Request request = sip.messages().createRequest(requestUri, method,
                sip.headers().createCallIdHeader(callId),
                sip.headers().createCSeqHeader(seq, method),
                sip.headers().createFromHeader(from, Utils.getInstance().generateTag()),
                sip.headers().createToHeader(sip.addresses().createAddress(to), null),
                List.of(via), sip.headers().createMaxForwardsHeader(70));
        request.addHeader(sip.headers().createContactHeader(sip.addresses().createAddress(contactUri())));
        return request;
    }

    Request request(String method, SipURI to) throws Exception {
        return request(method, to, UUID.randomUUID().toString(), 1);
    }

    Request message(SipURI to, String text) throws Exception {
        Request message = request(Request.MESSAGE, to);
        message.removeHeader(ContactHeader.NAME);
        ContentTypeHeader type = sip.headers().createContentTypeHeader("text", "plain");
        message.setContent(text, type);
        return message;
    }

    /** A REGISTER of this agent's contact for {@code expires} seconds, without credentials. */
    Request register(int expires) throws Exception {
        Request register = request(Request.REGISTER, addressOfRecord(user), registerCallId, cseq.incrementAndGet());
        register.setRequestURI(serverUri());
        register.addHeader(sip.headers().createExpiresHeader(expires));
        return register;
    }

    /** The full REGISTER exchange: unauthenticated attempt, 401, attempt with digest credentials. */
    Response register(String password, int expires) throws Exception {
        send(register(expires));
        Response challenge = awaitResponse(Request.REGISTER);
        assertEquals(Response.UNAUTHORIZED, challenge.getStatusCode(), "first REGISTER is challenged");
        send(withCredentials(register(expires), challenge, user, password));
        return awaitResponse(Request.REGISTER);
    }

    /** {@code request} with digest credentials answering {@code challenge}. */
    Request withCredentials(Request request, Response challenge, String username, String password) throws Exception {
        WWWAuthenticateHeader www = (WWWAuthenticateHeader) challenge.getHeader(WWWAuthenticateHeader.NAME);
        assertNotNull(www, "challenge carries WWW-Authenticate");
        String cnonce = Digest.newCnonce();
        String uri = request.getRequestURI().toString();
        String ha1 = Digest.ha1(username, www.getRealm(), password);
        AuthorizationHeader auth = sip.headers().createAuthorizationHeader("Digest");
        auth.setUsername(username);
        auth.setRealm(www.getRealm());
        auth.setNonce(www.getNonce());
        auth.setURI(request.getRequestURI());
        auth.setAlgorithm("MD5");
        auth.setQop("auth");
        auth.setCNonce(cnonce);
        auth.setNonceCount(1);
        auth.setResponse(Digest.response(ha1, request.getMethod(), uri, www.getNonce(), "00000001", cnonce, "auth"));
        request.setHeader(auth);
        return request;
    }

    ClientTransaction send(Request request) throws Exception {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        ct.sendRequest();
        return ct;
    }

    void sendInDialog(Dialog dialog, Request request) throws Exception {
        dialog.sendRequest(provider.getNewClientTransaction(request));
    }

    void cancel(ClientTransaction invite) throws Exception {
        provider.getNewClientTransaction(invite.createCancel()).sendRequest();
    }

    /** The next response to a {@code method} request, skipping 100 Trying. */
    Response awaitResponse(String method) throws InterruptedException {
        return awaitResponseEvent(method).getResponse();
    }

    ResponseEvent awaitResponseEvent(String method) throws InterruptedException {
        for (Iterator<ResponseEvent> it = heldBack.iterator(); it.hasNext(); ) {
            ResponseEvent held = it.next();
            if (methodOf(held.getResponse()).equals(method)) {
                it.remove();
                return held;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            ResponseEvent event = responses.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                return fail(user + " got no response to " + method + " within " + WAIT_SECONDS + " s");
            }
            if (event.getResponse().getStatusCode() == Response.TRYING) {
                continue;
            }
            if (methodOf(event.getResponse()).equals(method)) {
                return event;
            }
            heldBack.add(event);
        }
    }

    /** The next request that arrives, which must have method {@code method}. */
    RequestEvent awaitRequest(String method) throws InterruptedException {
        RequestEvent event = requests.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (event == null) {
            return fail(user + " got no " + method + " within " + WAIT_SECONDS + " s");
        }
        assertEquals(method, event.getRequest().getMethod(), user + " got an unexpected request");
        return event;
    }

    /** The server transaction of an incoming request, created if the stack did not. */
    ServerTransaction serverTransaction(RequestEvent event) throws Exception {
        return event.getServerTransaction() != null
                ? event.getServerTransaction()
                : provider.getNewServerTransaction(event.getRequest());
    }

    /** Answers on {@code st} as a UAS: one To tag per transaction, a Contact on 2xx to INVITE. */
    Response answer(ServerTransaction st, int status) throws Exception {
        Response response = sip.messages().createResponse(status, st.getRequest());
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (to.getTag() == null) {
            Dialog dialog = st.getDialog();
            to.setTag(dialog != null && dialog.getLocalTag() != null ? dialog.getLocalTag()
                    : Utils.getInstance().generateTag());
        }
        if (status / 100 == 2 && st.getRequest().getMethod().equals(Request.INVITE)) {
            response.addHeader(sip.headers().createContactHeader(sip.addresses().createAddress(contactUri())));
        }
        st.sendResponse(response);
        return response;
    }

    static String methodOf(Response response) {
        return ((CSeqHeader) response.getHeader(CSeqHeader.NAME)).getMethod();
    }

    static String callIdOf(Request request) {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    static URI uriOf(ContactHeader contact) {
        return contact.getAddress().getURI();
    }

    @Override
    public void processRequest(RequestEvent event) {
        requests.add(event);
    }

    @Override
    public void processResponse(ResponseEvent event) {
        responses.add(event);
    }





    @Override
    public void close() throws Exception {
        provider.removeSipListener(this);
        ListeningPoint[] listeningPoints = provider.getListeningPoints();
        stack.deleteSipProvider(provider);
        for (ListeningPoint lp : listeningPoints) {
            stack.deleteListeningPoint(lp);
        }
        stack.stop();
    }
}
