package io.sipgw.sip;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Opens incoming out-of-dialog requests for the capabilities, the same way for every method: the
 * recipient is the registration whose Contact user the Request-URI names (404 when there is none), the
 * request must come from the recipient's SIP server or a trusted hop ({@link TrustedSources}; 403
 * otherwise), a sender or Call-ID longer than the gateway stores gets 400 ({@link SipInput}), the
 * request gets its server transaction (a retransmission that an existing transaction absorbs goes no
 * further), and the handler gets an {@link IncomingRequest}. Handlers run on a SIP stack thread.
 */
@ApplicationScoped
public class IncomingRequests {

    @Inject
    SipUserAgent agent;

    @Inject
    RegistrationTable registrations;

    @Inject
    TrustedSources trusted;

    /** Hands every incoming out-of-dialog request of {@code method} (e.g. MESSAGE) to {@code handler}. */
    public void on(String method, Consumer<IncomingRequest> handler) {
        agent.onRequest(method, event -> open(event).ifPresent(handler));
    }

    /** The request as an {@link IncomingRequest}; empty when it was answered here (404, 403, 400) or is a retransmission. */
    Optional<IncomingRequest> open(RequestEvent event) {
        Request request = event.getRequest();
        Optional<Registration> recipient = request.getRequestURI() instanceof SipURI uri && uri.getUser() != null
                ? registrations.findByContactUser(uri.getUser()) : Optional.empty();
        if (recipient.isEmpty()) {
            agent.respond(event, Response.NOT_FOUND);
            return Optional.empty();
        }
        if (!trusted.allows(request, recipient.get())) {
            agent.respond(event, Response.FORBIDDEN);
            return Optional.empty();
        }
        if (SipInput.storedValuesProblem(request) != null) {
            agent.respond(event, Response.BAD_REQUEST);
            return Optional.empty();
        }
        Optional<ServerTransaction> transaction = agent.serverTransaction(event);
        return transaction.map(tx -> new IncomingRequest(recipient.get(), request, tx, (SipProvider) event.getSource(), agent));
    }
}
