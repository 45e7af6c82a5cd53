package io.sipgw.testing;

import io.sipgw.sip.StackProperties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ContactHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Response;

/**
 * A SIP server under the test's control, on 127.0.0.1 (UDP and TCP): it queues every request it gets and
 * the test decides the answer, e.g. to grant a registration and then refuse its refresh. Every wait has
 * a timeout.
 */
public final class RecordingRegistrar implements SipListener, AutoCloseable {

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
    public void processResponse(ResponseEvent event) {
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
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
