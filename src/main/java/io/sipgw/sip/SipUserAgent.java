package io.sipgw.sip;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.Utils;
import io.sipgw.metrics.LiveCount;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.ejb.Startup;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.ListIterator;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.header.RequireHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's SIP user agent: owns the JAIN-SIP stack that speaks for logged-in users, its listening
 * points (the default one plus one per login address, created on demand) and the correlation of client
 * transactions with the callers waiting for their final response. Incoming requests are handed to the
 * handler registered for the method (see {@link IncomingRequests}, {@link Invites}), requests and responses
 * within a dialog or transaction to the {@link DialogParty} or {@link ResponseListener} attached to it;
 * requests are built by its {@link RequestBuilder}. This class knows no business component. Methods the
 * rest of the package calls stay public, and so do the types in their signatures ({@link RequestBuilder},
 * {@link ResponseListener}): callers hold the EJB's proxy, which forwards public methods only and must see
 * every type it passes.
 */
@Singleton
@Startup
@LocalBean
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS) // no database here: no JTA transaction per call
public class SipUserAgent implements SipListener {

    private static final Logger LOG = Logger.getLogger(SipUserAgent.class.getName());
    /** How often a default listening point that could not be bound at start is tried again. */
    static final long BIND_RETRY_SECONDS = 5;

    @Inject
    @ConfigProperty(name = "sipgw.sip.host")
    String defaultHost;

    @Inject
    @ConfigProperty(name = "sipgw.sip.port")
    int defaultPort;

    @Inject
    @ConfigProperty(name = "sipgw.sip.transport")
    String configuredTransport;

    @Inject
    @ConfigProperty(name = "sipgw.sip.request-timeout-ms")
    long requestTimeoutMs;

    @Inject
    @ConfigProperty(name = "sipgw.sip.outbound-proxy")
    Optional<String> configuredOutboundProxy;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private SipStack stack;
    private RequestBuilder requests;
    private volatile ScheduledFuture<?> bindRetry;
    private ListeningPoints points;
    private final ConcurrentMap<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Consumer<RequestEvent>> handlers = new ConcurrentHashMap<>();

    @PostConstruct
    void start() {
        String nextHop = configuredOutboundProxy.map(String::trim).filter(p -> !p.isEmpty()).orElse(null);
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            requests = new RequestBuilder(factory, configuredTransport, nextHop);
            java.util.Properties properties = StackProperties.baseline("sipgw-ua-" + UUID.randomUUID());
            properties.setProperty(VersionCheckingParser.STACK_PROPERTY, VersionCheckingParser.Factory.class.getName());
            stack = factory.createSipStack(properties);
            points = new ListeningPoints(stack, this);
            stack.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the gateway SIP stack", e);
        }
        if (!bindDefault()) {
            // the application still starts (readiness reports DOWN, logins get SIP_ERROR) and keeps trying
            bindRetry = scheduler.scheduleWithFixedDelay(this::retryBind, BIND_RETRY_SECONDS, BIND_RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private boolean bindDefault() {
        try {
            points.providerFor(defaultHost, defaultPort);
        } catch (BindFailedException e) {
            LOG.log(Level.SEVERE, "Cannot listen for SIP on " + defaultHost + ":" + defaultPort + " (" + e.getCause()
                    + "); trying again every " + BIND_RETRY_SECONDS + " s, not ready until then");
            return false;
        }
        LOG.info(() -> "Gateway SIP user agent listening on " + defaultHost + ":" + defaultPort + " (UDP, TCP), " + routing());
        return true;
    }

    private void retryBind() {
        if (stack != null && bindDefault() && bindRetry != null) {
            bindRetry.cancel(false);
        }
    }

    /**
     * Uses this transport (UDP or TCP) for requests that fit in a datagram from now on: the stored SIP
     * configuration, applied at start.
     *
     * @throws IllegalArgumentException for a transport this user agent cannot use (TLS); nothing changes then
     */
    public void useTransport(String name) {
        requests.useTransport(name);
    }

    /**
     * Routes every request through the stored outbound proxy, else the configured one, else the stored
     * SIP server; with none of them, requests go to the host:port of each user's SIP URI. The stored SIP
     * configuration, applied at start; null arguments are unset values.
     */
    public void useNextHop(String storedOutboundProxy, String storedSipServer) {
        requests.useNextHop(storedOutboundProxy, storedSipServer);
    }

    /** How requests leave this user agent, for the log. */
    public String routing() {
        return requests.routing();
    }

    @PreDestroy
    void stop() {
        if (bindRetry != null) {
            bindRetry.cancel(false);
        }
        if (stack == null) {
            return;
        }
        pending.values().forEach(f -> f.completeExceptionally(new SipTimeoutException("SIP stack stopped")));
        pending.clear();
        points.closeAll();
        stack.stop();
        stack = null;
    }

    /** Dialogs the stack holds, early and confirmed: none once every call is over. */
    public int openDialogs() {
        return stack instanceof SipStackExt ext ? ext.getDialogs().size() : 0;
    }

    /** A business method: CDI calls a session bean's producer through the bean. */
    @Produces
    public LiveCount openDialogsGauge() {
        return new LiveCount("sipgw.sip.dialogs", "SIP dialogs (early and confirmed) the gateway's user agent holds",
                this::openDialogs);
    }

    /** True while the stack runs and the default listening point is open. */
    public boolean isListening() {
        return stack != null && points.find(defaultHost, defaultPort) != null;
    }

    /**
     * The default listening point.
     *
     * @throws BindFailedException while that address could not be bound (another process holds the port)
     */
    public LocalEndpoint defaultEndpoint() throws BindFailedException {
        SipProvider provider = points.find(defaultHost, defaultPort);
        if (provider == null) {
            throw new BindFailedException(ListeningPoints.key(defaultHost, defaultPort), new IllegalStateException("not listening"));
        }
        return new LocalEndpoint(provider, null);
    }

    /** The address of the default listening point, {@code host:port}. */
    public String defaultAddress() {
        return ListeningPoints.key(defaultHost, defaultPort);
    }

    /** Builds this user agent's requests and responses and chooses their route and transport. */
    public RequestBuilder requests() {
        return requests;
    }

    /**
     * The listening point on {@code ip:port} (UDP and TCP), created on first use and shared by every
     * user of that address. Each call takes a lease on it; give it back with {@link #release} when the
     * login it was for fails. (A registered user keeps its lease.)
     *
     * @throws BindFailedException when the address cannot be bound on this machine
     */
    public LocalEndpoint endpointFor(String ip, int port) throws BindFailedException {
        if (ListeningPoints.key(ip, port).equals(defaultAddress())) {
            return defaultEndpoint();
        }
        return new LocalEndpoint(points.lease(ip, port), ListeningPoints.key(ip, port));
    }

    /**
     * Gives back the lease of a login that did not register: the listening point closes once nobody else
     * holds one. The default listening point is never closed; null is ignored.
     */
    public void release(LocalEndpoint endpoint) {
        if (endpoint != null && endpoint.leasedAddress() != null) {
            points.release(endpoint.leasedAddress());
        }
    }

    /** Registers the handler of incoming requests of one method (e.g. MESSAGE, INVITE). */
    public void onRequest(String method, Consumer<RequestEvent> handler) {
        handlers.put(method, handler);
    }

    /**
     * Sends a request in a new client transaction after adding this side's Via (UDP, or TCP when the
     * request is too large for a datagram or TCP is configured). The future completes with the final
     * response, or exceptionally with {@link SipTimeoutException} after the configured request timeout.
     */
    public CompletableFuture<Response> send(SipProvider provider, Request request) {
        return send(provider, request, requestTimeoutMs);
    }

    /**
     * Sends an out-of-dialog request on behalf of a registered user, as {@link #send(SipProvider, Request, long)}
     * on the registration's provider, and answers one digest challenge (401/407) of the SIP server with the
     * user's credentials (RFC 3261 22.2): the future completes with the final answer to the authorized
     * request, or with the challenge when it cannot be answered. When an earlier request of the user
     * answered a challenge, this one goes out with credentials for that nonce already (next nonce count),
     * so the server needs no new challenge ({@link DigestChallenge#reuseLast}).
     */
    public CompletableFuture<Response> send(Registration registration, Request request, long timeoutMs) {
        DigestChallenge.reuseLast(requests.headerFactory(), registration, request);
        return send(registration.provider(), request, timeoutMs).thenCompose(response -> DigestChallenge.of(response)
                .flatMap(challenge -> challenge.retry(requests.headerFactory(), registration, request))
                .map(authorized -> send(registration.provider(), authorized, timeoutMs))
                .orElseGet(() -> CompletableFuture.completedFuture(response)));
    }

    /** As {@link #send(SipProvider, Request)}, giving up after {@code timeoutMs}. */
    public CompletableFuture<Response> send(SipProvider provider, Request request, long timeoutMs) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        try {
            requests.addVia(provider, request, Utils.getInstance().generateBranchId());
            ClientTransaction tx = provider.getNewClientTransaction(request);
            pending.put(tx, result);
            result.orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .whenComplete((response, failure) -> pending.remove(tx));
            tx.sendRequest();
        } catch (Exception e) {
            result.completeExceptionally(new SipTimeoutException("Cannot send " + request.getMethod() + ": " + e.getMessage(), e));
        }
        return result;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        try {
            if (!VersionCheckingParser.hasSupportedVersion(request)) {
                // RFC 3261 21.5.6; an ACK is never answered
                if (!Request.ACK.equals(method)) {
                    respond(event, Response.VERSION_NOT_SUPPORTED);
                }
                return;
            }
            String malformed = VersionCheckingParser.malformation(request);
            if (malformed != null) {
                // what RFC 3261's grammar forbids though JAIN-SIP parsed it (RFC 4475 3.1.2.9-11, 3.3.8-9)
                if (!Request.ACK.equals(method)) {
                    respond(event, Response.BAD_REQUEST);
                }
                return;
            }
            if (!Request.ACK.equals(method) && !(request.getRequestURI() instanceof SipURI)) {
                respond(event, Response.UNSUPPORTED_URI_SCHEME); // RFC 3261 8.2.2.1
                return;
            }
            if (!Request.ACK.equals(method) && !Request.CANCEL.equals(method) && request.getHeader(RequireHeader.NAME) != null) {
                respondUnsupported(event); // RFC 3261 8.2.2.3: this user agent supports no extension
                return;
            }
            // CANCEL belongs to the INVITE transaction, not to the dialog the INVITE began
            if (!Request.CANCEL.equals(method) && event.getDialog() != null
                    && event.getDialog().getApplicationData() instanceof DialogParty party) {
                party.onRequest(event);
                return;
            }
            Consumer<RequestEvent> handler = handlers.get(method);
            if (handler != null) {
                handler.accept(event);
            } else if (Request.ACK.equals(method)) {
                LOG.fine("Stray ACK ignored");
            } else if (Request.OPTIONS.equals(method)) {
                respond(event, Response.OK);
            } else {
                respond(event, Response.NOT_IMPLEMENTED);
            }
        } catch (RuntimeException e) {
            if (LogLines.undeliverable(e)) {
                LOG.log(Level.FINE, "The answer to an incoming " + LogLines.oneLine(method) + " cannot be delivered", e);
                return;
            }
            LOG.warning(() -> LogLines.withFailure("Failed to handle incoming " + method, e));
            LOG.log(Level.FINE, "stack trace of the failure above", e);
            respond(event, Response.SERVER_INTERNAL_ERROR);
        }
    }

    /**
     * Logs that an answer could not be sent: at FINE when the peer is gone (nobody to tell, nothing wrong
     * here), else one line at WARNING with the stack trace at FINE.
     */
    private static void answerFailed(String what, Exception e) {
        LogLines.failure(LOG, what, e);
    }

    /** Answers a request statelessly, or in its server transaction when it has one. */
    public void respond(RequestEvent event, int status) {
        try {
            Response response = requests.newResponse(status, event.getRequest());
            if (event.getServerTransaction() != null) {
                event.getServerTransaction().sendResponse(response);
            } else {
                ((SipProvider) event.getSource()).sendResponse(response);
            }
        } catch (Exception e) {
            answerFailed("Cannot answer " + status + " to " + event.getRequest().getMethod(), e);
        }
    }

    /** Answers 420 Bad Extension with an {@code Unsupported} header for each option tag of {@code Require}. */
    private void respondUnsupported(RequestEvent event) {
        try {
            Response response = requests.newResponse(Response.BAD_EXTENSION, event.getRequest());
            ListIterator<?> required = event.getRequest().getHeaders(RequireHeader.NAME);
            Set<String> tags = new LinkedHashSet<>();
            while (required.hasNext() && tags.size() < 16) {
                String tag = ((RequireHeader) required.next()).getOptionTag();
                if (tag != null && !tag.isBlank()) {
                    tags.add(tag.trim());
                }
            }
            for (String tag : tags) {
                response.addHeader(requests.headerFactory().createUnsupportedHeader(tag));
            }
            if (event.getServerTransaction() != null) {
                event.getServerTransaction().sendResponse(response);
            } else {
                ((SipProvider) event.getSource()).sendResponse(response);
            }
        } catch (Exception e) {
            answerFailed("Cannot answer 420 to " + event.getRequest().getMethod(), e);
        }
    }

    /** Answers a request in its server transaction; safe to call from any thread. */
    public void respond(ServerTransaction transaction, int status) {
        respond(transaction, status, null);
    }

    /** As {@link #respond(ServerTransaction, int)}, with a Reason header (RFC 3326) when {@code reasonText} is set. */
    public void respond(ServerTransaction transaction, int status, String reasonText) {
        try {
            transaction.sendResponse(requests.newResponse(status, transaction.getRequest(), reasonText));
        } catch (Exception e) {
            answerFailed("Cannot answer " + status + " to " + transaction.getRequest().getMethod(), e);
        }
    }

    /**
     * Sends a text message (SIP MESSAGE, RFC 3428, text/plain in UTF-8) on behalf of a registered user
     * through their SIP server, answering one digest challenge. The future completes with the status of
     * the final response, or exceptionally with {@link SipTimeoutException} after {@code timeoutMs}.
     *
     * @param headers extension headers to add, name to value
     */
    public CompletableFuture<Integer> sendMessage(Registration from, SipUri to, String text, java.util.Map<String, String> headers,
            long timeoutMs) {
        try {
            Request message = requests.newMessage(from, to, text, headers);
            return send(from, message, timeoutMs).thenApply(Response::getStatusCode);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot build a MESSAGE from " + from.aor().userId(), e);
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The server transaction of an incoming request, created when the stack did not; empty for a
     * retransmission that an existing transaction already absorbs.
     */
    public Optional<ServerTransaction> serverTransaction(RequestEvent event) {
        if (event.getServerTransaction() != null) {
            return Optional.of(event.getServerTransaction());
        }
        try {
            return Optional.of(((SipProvider) event.getSource()).getNewServerTransaction(event.getRequest()));
        } catch (javax.sip.TransactionAlreadyExistsException e) {
            return Optional.empty();
        } catch (javax.sip.TransactionUnavailableException e) {
            throw new IllegalStateException("No server transaction for " + event.getRequest().getMethod(), e);
        }
    }

    @Override
    public void processResponse(ResponseEvent event) {
        ClientTransaction tx = event.getClientTransaction();
        Response response = event.getResponse();
        if (tx == null) {
            // a retransmitted 2xx to INVITE arrives without its (terminated) transaction, with its dialog
            if (event.getDialog() != null && event.getDialog().getApplicationData() instanceof DialogParty party) {
                party.onStrayResponse(event);
            }
            return;
        }
        if (tx.getApplicationData() instanceof ResponseListener listener) {
            try {
                listener.onResponse(event);
            } catch (RuntimeException e) {
                LogLines.failure(LOG, "Failed to handle a response to " + tx.getRequest().getMethod(), e);
            }
            return;
        }
        if (response.getStatusCode() < 200) {
            return;
        }
        CompletableFuture<Response> waiting = pending.remove(tx);
        if (waiting != null) {
            waiting.complete(response);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        if (event.getClientTransaction() != null && event.getClientTransaction().getApplicationData() instanceof ResponseListener l) {
            l.onTimeout();
            return;
        }
        if (event.getClientTransaction() != null) {
            CompletableFuture<Response> waiting = pending.remove(event.getClientTransaction());
            if (waiting != null) {
                waiting.completeExceptionally(new SipTimeoutException("No answer from the SIP server"));
            }
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.fine(() -> "SIP I/O error towards " + event.getHost() + ":" + event.getPort() + "/" + event.getTransport());
    }

    /**
     * A new client transaction for {@code request}, not sent yet, whose responses (provisional too) and
     * timeout go to {@code listener}; with {@code newDialog}, the dialog it creates too. The caller keeps
     * the transaction (and dialog) where its response handling finds them, then calls
     * {@link ClientTransaction#sendRequest()}: a response can be handled on another thread before a method
     * that sent the request has returned.
     */
    public ClientTransaction newClientTransaction(SipProvider provider, Request request, ResponseListener listener,
            boolean newDialog) throws javax.sip.SipException {
        try {
            requests.addVia(provider, request, Utils.getInstance().generateBranchId());
        } catch (Exception e) {
            throw new javax.sip.SipException("Cannot add Via: " + e.getMessage(), e);
        }
        ClientTransaction tx = provider.getNewClientTransaction(request);
        tx.setApplicationData(listener);
        if (newDialog) {
            provider.getNewDialog(tx);
        }
        return tx;
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        if (event.getClientTransaction() != null) {
            pending.remove(event.getClientTransaction());
        }
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // dialogs are tracked by the capabilities that create them
    }
}
