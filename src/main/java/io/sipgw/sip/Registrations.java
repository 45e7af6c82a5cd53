package io.sipgw.sip;

import io.sipgw.metrics.LiveCount;
import io.sipgw.work.WorkerPool;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Registers users at their SIP server (RFC 3261 section 10) with digest authentication, keeps the
 * registrations refreshed before they expire and removes them (Expires: 0) on request. A registration
 * is kept while its holder wants it ({@link #keepUntil}); a refused or unanswered refresh ends it and
 * fires {@link RegistrationEnded}.
 */
@Singleton
@DependsOn("SipUserAgent")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS) // no database here: no JTA transaction per call
public class Registrations {

    private static final Logger LOG = Logger.getLogger(Registrations.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CHALLENGES = 2;

    @Inject
    SipUserAgent agent;

    @Inject
    Event<RegistrationEnded> ended;

    /** The refresh timers: cancelled ones leave its queue at once (see {@link #scheduleRefresh}). */
    @Inject
    WorkerPool workers;

    /** Runs the refreshes themselves: a REGISTER exchange waits for the server, off the pool's threads. */
    @Resource
    ManagedExecutorService refresher;

    @Inject
    @ConfigProperty(name = "sipgw.sip.register-expires")
    int configuredExpires;

    /** The registration lifetime asked for: the configured one, or the one an administrator stored. */
    private volatile int requestedExpires;

    @Inject
    @ConfigProperty(name = "sipgw.sip.request-timeout-ms")
    long requestTimeoutMs;

    @Inject
    RegistrationTable table;

    /** The table's maps (the instances behind its CDI proxy): this bean is their only writer. */
    private ConcurrentMap<String, Registration> byUser;
    private ConcurrentMap<String, Registration> byContactUser;

    @PostConstruct
    void init() {
        requestedExpires = configuredExpires;
        byUser = table.byUserMap();
        byContactUser = table.byContactUserMap();
    }

    /** Asks for this registration lifetime from now on (the stored SIP configuration, applied at start). */
    public void applyStoredExpires(int seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("expires must be positive: " + seconds);
        }
        requestedExpires = seconds;
    }

    /**
     * Registers {@code aor} with {@code password}, or re-registers an existing registration of the same
     * user (which then keeps its Call-ID, Contact and local address; a failed re-login leaves it as it
     * was). Blocks for at most a few request timeouts.
     *
     * @param local the local address to use for a new registration (unused when re-registering)
     * @param keepUntil how long the caller wants the registration kept alive
     */
    public Registration register(SipUri aor, String password, LocalEndpoint local, Instant keepUntil)
            throws RegistrationFailedException {
        Registration existing = byUser.get(aor.userId());
        if (existing != null && existing.aor().equals(aor)) {
            Registration.Credentials saved = existing.credentials();
            existing.offerPassword(password);
            try {
                exchange(existing, requestedExpires);
            } catch (RegistrationFailedException e) {
                existing.restore(saved);
                throw e;
            }
            extend(aor.userId(), keepUntil);
            return existing;
        }
        SipProvider provider = local.provider();
        Registration fresh = new Registration(aor, provider, provider.getNewCallId().getCallId(), randomToken(8),
                "gw" + randomToken(10));
        fresh.offerPassword(password);
        try {
            exchange(fresh, requestedExpires);
        } finally {
            fresh.forgetPassword();
        }
        fresh.keepUntil(keepUntil);
        Registration replaced = byUser.put(aor.userId(), fresh);
        byContactUser.put(fresh.contactUser(), fresh);
        scheduleRefresh(fresh);
        if (replaced != null) {
            // the user now logs in through another SIP server (or URI): the old binding goes
            byContactUser.remove(replaced.contactUser());
            replaced.cancelRefresh();
            removeBinding(replaced);
            if (replaced.keepUntil() != null) {
                extend(aor.userId(), replaced.keepUntil());
            }
        }
        return fresh;
    }

    /**
     * Registers {@code aor} on the default listening point with credentials another member of a cluster used
     * (HA1 for the realm; no password), with a Contact of this user agent: a cluster member taking over the
     * users of one that died. A user who holds a registration here already keeps it, kept alive until
     * {@code keepUntil} at least. Blocks for at most a few request timeouts.
     */
    public Registration takeOver(SipUri aor, Registration.Credentials credentials, Instant keepUntil)
            throws RegistrationFailedException, BindFailedException {
        Registration existing = byUser.get(aor.userId());
        if (existing != null) {
            extend(aor.userId(), keepUntil);
            return existing;
        }
        SipProvider provider = agent.defaultEndpoint().provider();
        Registration fresh = new Registration(aor, provider, provider.getNewCallId().getCallId(), randomToken(8),
                "gw" + randomToken(10));
        fresh.restore(credentials);
        exchange(fresh, requestedExpires);
        fresh.keepUntil(keepUntil);
        Registration raced = byUser.putIfAbsent(aor.userId(), fresh);
        if (raced != null) { // the user logged in here meanwhile: that registration stays
            removeBinding(fresh);
            extend(aor.userId(), keepUntil);
            return raced;
        }
        byContactUser.put(fresh.contactUser(), fresh);
        scheduleRefresh(fresh);
        return fresh;
    }

    /** Extends how long the user's registration is kept alive (never shortens it). */
    public void extend(String userId, Instant keepUntil) {
        Registration r = byUser.get(userId);
        if (r != null && (r.keepUntil() == null || r.keepUntil().isBefore(keepUntil))) {
            r.keepUntil(keepUntil);
        }
    }

    /** Removes the user's registration at the SIP server (Expires: 0); a no-op when there is none. */
    public void unregister(String userId) {
        Registration r = byUser.remove(userId);
        if (r != null) {
            byContactUser.remove(r.contactUser());
            r.cancelRefresh();
            removeBinding(r);
        }
    }

    public int activeCount() {
        return byUser.size();
    }

    /** A business method: CDI calls a session bean's producer through the bean. */
    @Produces
    public LiveCount activeRegistrationsGauge() {
        return new LiveCount("sipgw.registrations.active", "SIP registrations the gateway holds for logged-in users",
                this::activeCount);
    }

    /** At shutdown: removes the bindings while the SIP server answers, for at most a few seconds in all. */
    @PreDestroy
    void unregisterAll() {
        Instant deadline = Instant.now().plusMillis(requestTimeoutMs);
        for (String userId : List.copyOf(byUser.keySet())) {
            Registration r = byUser.remove(userId);
            if (r == null) {
                continue;
            }
            r.cancelRefresh();
            if (Instant.now().isBefore(deadline)) {
                removeBinding(r);
            }
        }
        byContactUser.clear();
    }

    private void removeBinding(Registration r) {
        try {
            exchange(r, 0);
        } catch (RegistrationFailedException e) {
            LOG.log(Level.INFO, "Unregistering {0} failed: {1}", new Object[] {r.aor().userId(), e.getMessage()});
        }
    }

    /**
     * Arms the refresh on the worker pool's timer, whose cancelled tasks leave the queue at once, and runs it
     * on the managed executor when it fires. On the managed scheduled executor (before) a registration ended
     * by logout left its cancelled refresh queued until it was due (up to the registration's lifetime), with
     * the context captured when it was armed, an EJB invocation among it: one kept per login, found in the heap
     * of bench/heap.sh users.
     */
    private void scheduleRefresh(Registration r) {
        int expires = r.grantedExpires();
        long delay = expires > 60 ? expires - 30L : Math.max(1L, expires / 2L);
        r.refresh(workers.schedule(() -> refresher.execute(() -> refresh(r)), delay, TimeUnit.SECONDS));
    }

    private void refresh(Registration r) {
        String userId = r.aor().userId();
        if (byUser.get(userId) != r) {
            return;
        }
        if (r.keepUntil() != null && Instant.now().isAfter(r.keepUntil())) {
            unregister(userId);
            ended.fire(new RegistrationEnded(userId, "no live session"));
            return;
        }
        try {
            exchange(r, requestedExpires);
            scheduleRefresh(r);
        } catch (RegistrationFailedException | RuntimeException e) {
            LOG.log(Level.WARNING, "Registration refresh of {0} failed: {1}", new Object[] {userId, e.getMessage()});
            if (byUser.remove(userId, r)) {
                byContactUser.remove(r.contactUser());
                ended.fire(new RegistrationEnded(userId, "refresh failed: " + e.getMessage()));
            }
        }
    }

    /**
     * One REGISTER transaction including the digest challenge round(s). Sets the granted expiry on
     * success.
     */
    private void exchange(Registration r, int expires) throws RegistrationFailedException {
        synchronized (r) {
            Request request = newRegister(r, expires);
            for (int challenges = 0; ; challenges++) {
                Response response = await(agent.send(r.provider(), request));
                int status = response.getStatusCode();
                if (status >= 200 && status < 300) {
                    r.granted(expires == 0 ? 0 : grantedExpires(response, r, expires));
                    return;
                }
                if ((status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED)
                        && challenges < MAX_CHALLENGES) {
                    boolean stale = DigestChallenge.of(response).map(DigestChallenge::isStale).orElse(false);
                    if (challenges > 0 && !stale) {
                        throw new RegistrationFailedException(RegistrationFailedException.Cause.CREDENTIALS_REJECTED,
                                status, "credentials rejected");
                    }
                    request = authorize(r, newRegister(r, expires), response);
                    continue;
                }
                throw failure(status, response.getReasonPhrase());
            }
        }
    }

    private Response await(java.util.concurrent.CompletableFuture<Response> future) throws RegistrationFailedException {
        try {
            return future.get(requestTimeoutMs + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistrationFailedException(RegistrationFailedException.Cause.TIMEOUT, 0, "interrupted");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new RegistrationFailedException(RegistrationFailedException.Cause.TIMEOUT, 0,
                    "no answer from the SIP server");
        }
    }

    private static RegistrationFailedException failure(int status, String reason) {
        RegistrationFailedException.Cause cause = switch (status) {
            case Response.UNAUTHORIZED, Response.PROXY_AUTHENTICATION_REQUIRED, Response.FORBIDDEN ->
                    RegistrationFailedException.Cause.CREDENTIALS_REJECTED;
            case Response.NOT_FOUND -> RegistrationFailedException.Cause.UNKNOWN_USER;
            case Response.REQUEST_TIMEOUT -> RegistrationFailedException.Cause.TIMEOUT;
            default -> RegistrationFailedException.Cause.SIP_FAILURE;
        };
        return new RegistrationFailedException(cause, status, status + " " + reason);
    }

    private Request newRegister(Registration r, int expires) throws RegistrationFailedException {
        try {
            var addresses = agent.requests().addressFactory();
            HeaderFactory headers = agent.requests().headerFactory();
            SipUri aor = r.aor();
            SipURI registrar = addresses.createSipURI(null, aor.host());
            registrar.setPort(aor.serverPort());
            Address user = addresses.createAddress(addresses.createSipURI(aor.user(), aor.host()));
            Request request = agent.requests().newRequest(aor, Request.REGISTER, registrar, user, r.callId(),
                    r.nextCseq(), r.fromTag());
            request.addHeader(agent.requests().contactOf(r));
            request.addHeader(headers.createExpiresHeader(expires));
            return request;
        } catch (Exception e) {
            throw new RegistrationFailedException(RegistrationFailedException.Cause.SIP_FAILURE, 0,
                    "cannot build REGISTER: " + e.getMessage());
        }
    }

    private Request authorize(Registration r, Request request, Response response) throws RegistrationFailedException {
        DigestChallenge challenge = DigestChallenge.of(response).orElseThrow(() -> new RegistrationFailedException(
                RegistrationFailedException.Cause.SIP_FAILURE, response.getStatusCode(), "a challenge without a digest header"));
        String ha1 = r.ha1For(challenge.realm());
        if (ha1 == null) {
            throw new RegistrationFailedException(RegistrationFailedException.Cause.CREDENTIALS_REJECTED,
                    challenge.status(), "the SIP server changed its realm; log in again");
        }
        try {
            request.addHeader(challenge.answer(agent.requests().headerFactory(), r.aor().user(), ha1, request));
        } catch (IllegalStateException e) {
            throw new RegistrationFailedException(RegistrationFailedException.Cause.SIP_FAILURE, challenge.status(), e.getMessage());
        }
        return request;
    }

    /** The expiry the server granted our contact: its contact's expires, else Expires, else what we asked. */
    private static int grantedExpires(Response ok, Registration r, int asked) {
        ListIterator<?> contacts = ok.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress().getURI() instanceof SipURI uri && r.contactUser().equals(uri.getUser()) && c.getExpires() >= 0) {
                return c.getExpires();
            }
        }
        ExpiresHeader expires = ok.getExpires();
        return expires != null ? expires.getExpires() : asked;
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b).toLowerCase(Locale.ROOT);
    }
}
