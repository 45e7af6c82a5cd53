package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import io.sipgw.accounts.Accounts;
import io.sipgw.throttle.ThrottleSettings;
import io.sipgw.work.WorkerPool;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs the {@link SipServer} inside the application when {@code sipgw.registrar.enabled} is true: started
 * with the deployment, stopped with it. A server that cannot start (unreadable accounts file, port in use)
 * fails the deployment.
 *
 * <p>Settings (defaults in {@code META-INF/microprofile-config.properties}): {@code sipgw.registrar.host},
 * {@code .port}, {@code .domain}, {@code .nonce-lifetime-seconds}, {@code .max-expires-seconds},
 * {@code .foreign-requests} ({@code refuse} or {@code accept}), the digest throttle
 * {@code .throttle.user-failures}, {@code .throttle.address-failures}, {@code .throttle.window-seconds},
 * {@code .throttle.lock-seconds}, {@code .throttle.max-lock-seconds}, and {@code sipgw.accounts.file} (a
 * path, relative to the working directory unless absolute; read with {@link io.sipgw.accounts.Accounts},
 * also the directory's seed).
 *
 * <p>Phones: whenever a user gains a first or loses a last phone registration (not the gateway's own,
 * see {@link LocationService#hasPhone}) it fires {@link PhonesChanged} on the worker pool; lapsed
 * registrations are swept every {@link #SWEEP_SECONDS} seconds, so a phone that stops refreshing is noticed
 * within that much after its expiry.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.SUPPORTS) // no database here: no JTA transaction per call
public class EmbeddedSipServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedSipServer.class.getName());

    /** How often lapsed registrations are looked for. */
    static final long SWEEP_SECONDS = 2;

    @Inject
    Event<PhonesChanged> phonesChanged;

    @Inject
    WorkerPool workers;

    @Resource
    ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> sweeping;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.enabled")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.host")
    String host;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.port")
    int port;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.domain")
    String domain;

    @Inject
    @ConfigProperty(name = "sipgw.accounts.file")
    String accountsFile;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.nonce-lifetime-seconds")
    long nonceLifetimeSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.max-expires-seconds")
    long maxExpiresSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.foreign-requests")
    String foreignRequests;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.throttle.user-failures")
    int throttleUserFailures;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.throttle.address-failures")
    int throttleAddressFailures;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.throttle.window-seconds")
    long throttleWindowSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.throttle.lock-seconds")
    long throttleLockSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.throttle.max-lock-seconds")
    long throttleMaxLockSeconds;

    private volatile SipServer server;

    @PostConstruct
    void start() {
        if (!enabled) {
            LOG.info("Embedded SIP server disabled (sipgw.registrar.enabled=false)");
            return;
        }
        Path file = Path.of(accountsFile).toAbsolutePath();
        List<Account> accounts = Accounts.load(file);
        ThrottleSettings throttle = new ThrottleSettings(throttleUserFailures, throttleAddressFailures,
                Duration.ofSeconds(throttleWindowSeconds), Duration.ofSeconds(throttleLockSeconds),
                Duration.ofSeconds(throttleMaxLockSeconds), ThrottleSettings.DEFAULTS.maxTracked());
        SipServer starting = new SipServer(new SipServerConfig(host, port, domain, accounts,
                Duration.ofSeconds(nonceLifetimeSeconds), Duration.ofSeconds(maxExpiresSeconds),
                ForeignRequests.parse(foreignRequests), throttle));
        starting.locations().onPhonesChanged(user -> workers.execute(() -> firePhonesChanged(user)));
        starting.start();
        server = starting;
        sweeping = scheduler.scheduleWithFixedDelay(this::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        LOG.info(() -> "Embedded SIP server listening on " + host + ":" + port + " (UDP, TCP) for domain " + domain
                + " with " + starting.accounts().size() + " accounts from " + file);
    }

    private void firePhonesChanged(String user) {
        try {
            phonesChanged.fire(new PhonesChanged(user + "@" + domain));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Presence of " + user + "'s phones not updated", e);
        }
    }

    private void sweep() {
        SipServer running = server;
        if (running != null) {
            try {
                running.locations().sweep();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Sweeping lapsed registrations failed", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
        SipServer running = server;
        server = null;
        if (running != null) {
            running.stop();
        }
    }

    public boolean isRunning() {
        SipServer running = server;
        return running != null && running.isRunning();
    }

    /**
     * Whether {@code user} of this server's domain has a live registered contact here (a SIP phone or
     * softphone, or the gateway's own user agent for an API login); false when the server is not running.
     */
    public boolean hasContact(String user, String host) {
        SipServer running = server;
        return running != null && host != null && host.equalsIgnoreCase(domain)
                && running.locations().mostRecent(user).isPresent();
    }

    /**
     * Whether {@code userId} ({@code user@domain}) has a live registration of a SIP phone or softphone here
     * (not counting the gateway's own for an API login); false when the server is not running or the
     * domain is not this server's.
     */
    public boolean hasPhone(String userId) {
        SipServer running = server;
        int at = userId == null ? -1 : userId.lastIndexOf('@');
        return running != null && at > 0 && userId.substring(at + 1).equalsIgnoreCase(domain)
                && running.locations().hasPhone(userId.substring(0, at));
    }

    /** The accounts the server accepts (those of its domain); empty when it is not running. */
    public List<Account> accounts() {
        SipServer running = server;
        return running == null ? List.of() : running.accounts();
    }

    /** The domain served. */
    public String domain() {
        return domain;
    }
}
