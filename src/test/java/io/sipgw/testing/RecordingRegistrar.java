package io.sipgw.testing;

import io.sipgw.sip.Digest;
import io.sipgw.sip.StackProperties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A SIP server under the test's control, on 127.0.0.1 (UDP and TCP): it queues every request it gets and
 * the test decides the answer, e.g. to grant a registration and then refuse its refresh. Every wait has
 * a timeout.
 */
public final class RecordingRegistrar implements QuietSipListener, AutoCloseable {

    private final SipStack stack;
    private final SipProvider provider;
    private final HeaderFactory headers;
    private final MessageFactory messages;
    private final BlockingQueue<RequestEvent> received = new LinkedBlockingQueue<>();

    public RecordingRegistrar(int port) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        stack = factory.createSipStack(StackProperties.baseline("test-registrar-" + UUID.randomUUID()));
        headers = factory.createHeaderFactory();
        messages = factory.createMessageFactory();
        provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, ListeningPoint.UDP));
        provider.addListeningPoint(stack.createListeningPoint("127.0.0.1", port, ListeningPoint.TCP));
        provider.addSipListener(this);
    }

    /** The next request received; fails after {@code timeoutMs}. */
    public RequestEvent awaitRequest(String method, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            RequestEvent event = received.poll(Math.max(0, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("no " + method + " within " + timeoutMs + " ms");
            }
            if (event.getRequest().getMethod().equals(method)) {
                return event;
            }
        }
    }

    /** Grants a REGISTER: 200 OK with its Contact and the given lifetime. */
    public void grant(RequestEvent register, int expires) throws Exception {
        Response ok = response(register, Response.OK);
        ContactHeader contact = (ContactHeader) register.getRequest().getHeader(ContactHeader.NAME);
        contact.setExpires(expires);
        ok.addHeader(contact);
        send(register, ok);
    }

    /** Answers with a digest challenge: 401 with WWW-Authenticate, or 407 with Proxy-Authenticate (qop=auth). */
    public void challenge(RequestEvent request, int status, String realm, String nonce) throws Exception {
        Response response = response(request, status);
        WWWAuthenticateHeader header = status == Response.PROXY_AUTHENTICATION_REQUIRED
                ? headers.createProxyAuthenticateHeader("Digest") : headers.createWWWAuthenticateHeader("Digest");
        header.setRealm(realm);
        header.setNonce(nonce);
        header.setQop("auth");
        header.setAlgorithm("MD5");
        response.addHeader(header);
        send(request, response);
    }

    /** True when the request carries a correct digest answer for {@code user} and {@code password}. */
    public static boolean hasValidDigest(Request request, String headerName, String user, String password) {
        AuthorizationHeader auth = (AuthorizationHeader) request.getHeader(headerName);
        if (auth == null || !user.equals(auth.getUsername())) {
            return false;
        }
        String expected = Digest.response(Digest.ha1(user, auth.getRealm(), password), request.getMethod(),
                auth.getURI().toString(), auth.getNonce(), String.format("%08x", auth.getNonceCount()), auth.getCNonce(),
                auth.getQop());
        return expected.equals(auth.getResponse());
    }

    /** Answers a request with a bare final response. */
    public void answer(RequestEvent request, int status) throws Exception {
        send(request, response(request, status));
    }

    private Response response(RequestEvent request, int status) throws Exception {
        Response response = messages.createResponse(status, request.getRequest());
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
        return response;
    }

    private void send(RequestEvent request, Response response) throws Exception {
        ServerTransaction tx = request.getServerTransaction() != null ? request.getServerTransaction()
                : provider.getNewServerTransaction(request.getRequest());
        tx.sendResponse(response);
    }

    @Override
    public void processRequest(RequestEvent event) {
        received.add(event);
    }






    @Override
    public void close() {
        provider.removeSipListener(this);
        ListeningPoint[] points = provider.getListeningPoints();
        try {
            stack.deleteSipProvider(provider);
            for (ListeningPoint lp : points) {
                stack.deleteListeningPoint(lp);
            }
        } catch (Exception e) {
            // the stack stops anyway
        }
        stack.stop();
    }
}
