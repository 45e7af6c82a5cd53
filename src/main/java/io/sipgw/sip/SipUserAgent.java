package io.sipgw.sip;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.Utils;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ClientTransaction;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's SIP user agent: owns the JAIN-SIP stack that speaks for logged-in users, its listening
 * points (the default one plus one per login address, created on demand) and the correlation of client
 * transactions with the callers waiting for their final response. Incoming requests are handed to the
 * handler a capability registered for the method; this class knows no business component.
 */
@Singleton
@Startup
@LocalBean
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SipUserAgent implements SipListener {

    private static final Logger LOG = Logger.getLogger(SipUserAgent.class.getName());
    /** RFC 3261 18.1.1: a request larger than this goes over a congestion-controlled transport. */
    static final int UDP_SIZE_LIMIT = 1300;
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
    private AddressFactory addressFactory;
    private HeaderFactory headerFactory;
    private MessageFactory messageFactory;
    private volatile String transport;
    /** {@code host:port} every request is routed through, or null: then the user's SIP URI decides. */
    private volatile String nextHop;
    private volatile ScheduledFuture<?> bindRetry;
    private final ConcurrentMap<String, SipProvider> providers = new ConcurrentHashMap<>();
    private final ConcurrentMap<ClientTransaction, CompletableFuture<Response>> pending = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, IncomingRequestHandler> handlers = new ConcurrentHashMap<>();

    /** Gets every response (provisional too) and the timeout of one client transaction (its application data). */
    public interface ResponseListener {
        void onResponse(ResponseEvent event);

        void onTimeout();
    }

    /** Gets the requests within one dialog (its application data): ACK, BYE, INFO, re-INVITE... */
    public interface DialogParty {
        void onRequest(RequestEvent event);

        /** A response whose transaction is gone, e.g. a retransmitted 2xx to INVITE. */
        default void onStrayResponse(ResponseEvent event) {
        }
    }

    /** Handles one incoming request of a registered method; runs on a SIP stack thread, keep it short. */
    @FunctionalInterface
    public interface IncomingRequestHandler {
        void handle(RequestEvent event);
    }

    @PostConstruct
    void start() {
        transport = transportOf(configuredTransport);
        nextHop = configuredOutboundProxy.map(String::trim).filter(p -> !p.isEmpty()).orElse(null);
        try {
            SipFactory factory = SipFactory.getInstance();
            factory.setPathName("gov.nist");
            stack = factory.createSipStack(StackProperties.baseline("sipgw-ua-" + UUID.randomUUID()));
            addressFactory = factory.createAddressFactory();
            headerFactory = factory.createHeaderFactory();
            messageFactory = factory.createMessageFactory();
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
            providerFor(defaultHost, defaultPort);
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

    private static String transportOf(String name) {
        String t = name.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("udp") && !t.equals("tcp")) {
            throw new IllegalArgumentException("the SIP transport must be UDP or TCP, not " + name);
        }
        return t;
    }

    /**
     * Uses this transport (UDP or TCP) for requests that fit in a datagram from now on: the stored SIP
     * configuration, applied at start.
     *
     * @throws IllegalArgumentException for a transport this user agent cannot use (TLS); nothing changes then
     */
    public void useTransport(String name) {
        transport = transportOf(name);
    }

    /**
     * Routes every request through the stored outbound proxy, else the configured one, else the stored
     * SIP server; with none of them, requests go to the host:port of each user's SIP URI. The stored SIP
     * configuration, applied at start; null arguments are unset values.
     */
    public void useNextHop(String storedOutboundProxy, String storedSipServer) {
        String hop = storedOutboundProxy != null ? storedOutboundProxy : nextHop != null ? nextHop : storedSipServer;
        nextHop = hop == null || hop.isBlank() ? null : hop.trim();
    }

    /** How requests leave this user agent, for the log. */
    public String routing() {
        return "transport " + transport.toUpperCase(Locale.ROOT)
                + (nextHop == null ? ", requests go to each user's SIP server" : ", every request via " + nextHop);
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
        for (SipProvider provider : providers.values()) {
            provider.removeSipListener(this);
            try {
                ListeningPoint[] points = provider.getListeningPoints();
                stack.deleteSipProvider(provider);
                for (ListeningPoint lp : points) {
                    stack.deleteListeningPoint(lp);
                }
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Could not release a SIP listening point", e);
            }
        }
        providers.clear();
        stack.stop();
        stack = null;
    }

    /** Dialogs the stack holds, early and confirmed: none once every call is over. */
    public int openDialogs() {
        return stack instanceof SipStackExt ext ? ext.getDialogs().size() : 0;
    }

    /** True while the stack runs and the default listening point is open. */
    public boolean isListening() {
        return stack != null && providers.containsKey(key(defaultHost, defaultPort));
    }

    public AddressFactory addressFactory() {
        return addressFactory;
    }

    public HeaderFactory headerFactory() {
        return headerFactory;
    }

    public MessageFactory messageFactory() {
        return messageFactory;
    }

    /**
     * The provider of the default listening point.
     *
     * @throws BindFailedException while that address could not be bound (another process holds the port)
     */
    public SipProvider defaultProvider() throws BindFailedException {
        SipProvider provider = providers.get(key(defaultHost, defaultPort));
        if (provider == null) {
            throw new BindFailedException(key(defaultHost, defaultPort), new IllegalStateException("not listening"));
        }
        return provider;
    }

    /** The address of the default listening point, {@code host:port}. */
    public String defaultAddress() {
        return key(defaultHost, defaultPort);
    }

    /** The transport used for requests that fit in a datagram ({@code udp} or {@code tcp}). */
    public String transport() {
        return transport;
    }

    /**
     * The provider listening on {@code ip:port} (UDP and TCP), created on first use and shared by every
     * user of that address.
     *
     * @throws BindFailedException when the address cannot be bound on this machine
     */
    public SipProvider providerFor(String ip, int port) throws BindFailedException {
        String key = key(ip, port);
        SipProvider existing = providers.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (providers) {
            existing = providers.get(key);
            if (existing != null) {
                return existing;
            }
            List<ListeningPoint> created = new ArrayList<>();
            try {
                created.add(stack.createListeningPoint(ip, port, ListeningPoint.UDP));
                created.add(stack.createListeningPoint(ip, port, ListeningPoint.TCP));
                SipProvider provider = stack.createSipProvider(created.get(0));
                provider.addListeningPoint(created.get(1));
                provider.addSipListener(this);
                providers.put(key, provider);
                return provider;
            } catch (Exception e) {
                for (ListeningPoint lp : created) {
                    try {
                        stack.deleteListeningPoint(lp);
                    } catch (Exception cleanup) {
                        LOG.log(Level.FINE, "Cleanup of a half-created listening point failed", cleanup);
                    }
                }
                throw new BindFailedException(key, e);
            }
        }
    }

    /** Registers the handler of incoming requests of one method (e.g. MESSAGE, INVITE). */
    public void onRequest(String method, IncomingRequestHandler handler) {
        handlers.put(method, handler);
    }

    /**
     * A new out-of-dialog request on behalf of a registered user: From is the user's address of record
     * (with a fresh tag), To is {@code target}, a new Call-ID, and a loose Route to the user's SIP server
     * (the outbound proxy when one is configured, else the host:port of the user's SIP URI), so the
     * request takes the same path as the user's registration whatever the Request-URI says.
     */
    public Request newRequest(Registration registration, String method, SipUri target) throws java.text.ParseException,
            javax.sip.InvalidArgumentException {
        SipUri aor = registration.aor();
        javax.sip.address.SipURI requestUri = addressFactory.createSipURI(target.user(), target.host());
        if (target.port() != -1) {
            requestUri.setPort(target.port());
        }
        return newRequest(registration.provider(), aor, method, requestUri,
                addressFactory.createAddress(addressFactory.createSipURI(target.user(), target.host())),
                registration.provider().getNewCallId().getCallId(), 1L, Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
    }

    public Request newRequest(SipProvider provider, SipUri aor, String method, javax.sip.address.URI requestUri,
                       javax.sip.address.Address to, String callId, long cseq, String fromTag)
            throws java.text.ParseException, javax.sip.InvalidArgumentException {
        javax.sip.address.Address from = addressFactory.createAddress(addressFactory.createSipURI(aor.user(), aor.host()));
        Request request = messageFactory.createRequest(requestUri, method,
                headerFactory.createCallIdHeader(callId),
                headerFactory.createCSeqHeader(cseq, method),
                headerFactory.createFromHeader(from, fromTag),
                headerFactory.createToHeader(to, null),
                new ArrayList<>(),
                headerFactory.createMaxForwardsHeader(70));
        request.addHeader(headerFactory.createUserAgentHeader(List.of("sipgw")));
        javax.sip.address.SipURI route = serverOf(aor);
        route.setLrParam();
        request.addHeader(headerFactory.createRouteHeader(addressFactory.createAddress(route)));
        return request;
    }

    /** The Contact of a registered user: unique per registration, so requests to it map back to the user. */
    public javax.sip.header.ContactHeader contactOf(Registration registration) throws java.text.ParseException {
        ListeningPoint lp = registration.provider().getListeningPoint(transport);
        javax.sip.address.SipURI uri = addressFactory.createSipURI(registration.contactUser(), lp.getIPAddress());
        uri.setPort(lp.getPort());
        uri.setTransportParam(transport);
        return headerFactory.createContactHeader(addressFactory.createAddress(uri));
    }

    /** The next hop of a user's requests: the outbound proxy or stored SIP server, else their SIP URI's host:port. */
    private javax.sip.address.SipURI serverOf(SipUri aor) throws java.text.ParseException {
        String hop = nextHop;
        if (hop != null) {
            return (javax.sip.address.SipURI) addressFactory.createURI("sip:" + hop);
        }
        javax.sip.address.SipURI server = addressFactory.createSipURI(null, aor.host());
        server.setPort(aor.serverPort());
        return server;
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
     * request, or with the challenge when it cannot be answered.
     */
    public CompletableFuture<Response> send(Registration registration, Request request, long timeoutMs) {
        return send(registration.provider(), request, timeoutMs).thenCompose(response -> DigestChallenge.of(response)
                .flatMap(challenge -> challenge.retry(headerFactory, registration, request))
                .map(authorized -> send(registration.provider(), authorized, timeoutMs))
                .orElseGet(() -> CompletableFuture.completedFuture(response)));
    }

    /** As {@link #send(SipProvider, Request)}, giving up after {@code timeoutMs}. */
    public CompletableFuture<Response> send(SipProvider provider, Request request, long timeoutMs) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        try {
            addVia(provider, request);
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

    private void addVia(SipProvider provider, Request request) throws Exception {
        ListeningPoint lp = provider.getListeningPoint(transport);
        addVia(headerFactory, request, lp.getIPAddress(), lp.getPort(), transport, Utils.getInstance().generateBranchId());
    }

    /**
     * Sets this side's Via on {@code request}, replacing any: over {@code transport}, or over TCP when that
     * is UDP and the request would not fit in a datagram (RFC 3261 18.1.1). The UDP and TCP listening
     * points share {@code host:port}. The branch is set here, not left to the stack: the stack adds it when
     * it creates the client transaction, after the size was measured, and a 1,290-byte INVITE then went out
     * as a 1,345-byte datagram.
     */
    static void addVia(HeaderFactory headers, Request request, String host, int port, String transport, String branch)
            throws java.text.ParseException, javax.sip.InvalidArgumentException {
        request.removeHeader(ViaHeader.NAME);
        request.addHeader(headers.createViaHeader(host, port, transport, branch));
        if (transport.equals("udp") && request.toString().getBytes(StandardCharsets.UTF_8).length > UDP_SIZE_LIMIT) {
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(headers.createViaHeader(host, port, ListeningPoint.TCP, branch));
        }
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        String method = request.getMethod();
        try {
            // CANCEL belongs to the INVITE transaction, not to the dialog the INVITE began
            if (!Request.CANCEL.equals(method) && event.getDialog() != null
                    && event.getDialog().getApplicationData() instanceof DialogParty party) {
                party.onRequest(event);
                return;
            }
            IncomingRequestHandler handler = handlers.get(method);
            if (handler != null) {
                handler.handle(event);
            } else if (Request.ACK.equals(method)) {
                LOG.fine("Stray ACK ignored");
            } else if (Request.OPTIONS.equals(method)) {
                respond(event, Response.OK);
            } else {
                respond(event, Response.NOT_IMPLEMENTED);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Failed to handle incoming " + method, e);
            respond(event, Response.SERVER_INTERNAL_ERROR);
        }
    }

    /** Answers a request statelessly, or in its server transaction when it has one. */
    public void respond(RequestEvent event, int status) {
        try {
            Response response = newResponse(status, event.getRequest());
            if (event.getServerTransaction() != null) {
                event.getServerTransaction().sendResponse(response);
            } else {
                ((SipProvider) event.getSource()).sendResponse(response);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot answer " + status + " to " + event.getRequest().getMethod(), e);
        }
    }

    /** Answers a request in its server transaction; safe to call from any thread. */
    public void respond(ServerTransaction transaction, int status) {
        respond(transaction, status, null);
    }

    /** As {@link #respond(ServerTransaction, int)}, with a Reason header (RFC 3326) when {@code reasonText} is set. */
    void respond(ServerTransaction transaction, int status, String reasonText) {
        try {
            Response response = newResponse(status, transaction.getRequest());
            if (reasonText != null) {
                response.addHeader(headerFactory.createReasonHeader("SIP", status, reasonText));
            }
            transaction.sendResponse(response);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot answer " + status + " to " + transaction.getRequest().getMethod(), e);
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
            Request message = newRequest(from, Request.MESSAGE, to);
            javax.sip.header.ContentTypeHeader type = headerFactory.createContentTypeHeader("text", "plain");
            type.setParameter("charset", "UTF-8");
            message.setContent(text.getBytes(StandardCharsets.UTF_8), type);
            for (var header : headers.entrySet()) {
                message.addHeader(headerFactory.createHeader(header.getKey(), header.getValue()));
            }
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

    /** A response with a To tag (RFC 3261 8.2.6.2) when the request had none. */
    public Response newResponse(int status, Request request) throws java.text.ParseException {
        Response response = messageFactory.createResponse(status, request);
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) response.getHeader(javax.sip.header.ToHeader.NAME);
        if (to != null && to.getTag() == null && status > 100) {
            to.setTag(Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        }
        return response;
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
                LOG.log(Level.WARNING, "Failed to handle a response to " + tx.getRequest().getMethod(), e);
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
            addVia(provider, request);
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

    private static String key(String ip, int port) {
        return (ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
