package io.sipgw.sip.registrar;

import java.util.concurrent.atomic.AtomicBoolean;
import javax.sip.ClientTransaction;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionState;

/**
 * One request forwarded statefully: the server transaction it arrived on and the client transaction
 * that carries it on. Both transactions hold it as their application data, so a response finds its way
 * upstream and a CANCEL finds the branch to cancel.
 *
 * <p>A CANCEL may only be sent once the branch has had a provisional response (RFC 3261 section 9.1):
 * an early cancellation is remembered and sent when the first provisional response arrives.
 */
final class ProxiedRequest {

    private final ServerTransaction server;
    private volatile ClientTransaction client;
    private final AtomicBoolean cancelRequested = new AtomicBoolean();
    private final AtomicBoolean cancelSent = new AtomicBoolean();

    ProxiedRequest(ServerTransaction server) {
        this.server = server;
        server.setApplicationData(this);
    }

    ServerTransaction server() {
        return server;
    }

    void forwardOn(ClientTransaction client) {
        this.client = client;
        client.setApplicationData(this);
    }

    /** The upstream side still waits for a final response. */
    boolean awaitsFinalResponse() {
        TransactionState state = server.getState();
        return state == null || state == TransactionState.TRYING || state == TransactionState.PROCEEDING;
    }

    /** The upstream side cancelled: cancel the branch now if it is ringing, else at its first provisional response. */
    void cancel(SipProvider provider) throws SipException {
        cancelRequested.set(true);
        sendCancelIfDue(provider);
    }

    /** Sends the CANCEL once, when one was asked for and the branch has had a provisional response. */
    void sendCancelIfDue(SipProvider provider) throws SipException {
        ClientTransaction branch = client;
        if (cancelRequested.get() && branch != null && branch.getState() == TransactionState.PROCEEDING
                && cancelSent.compareAndSet(false, true)) {
            provider.getNewClientTransaction(branch.createCancel()).sendRequest();
        }
    }
}
