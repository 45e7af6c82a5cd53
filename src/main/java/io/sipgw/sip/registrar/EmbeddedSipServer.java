package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import io.sipgw.accounts.Accounts;
import io.sipgw.throttle.ThrottleSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class EmbeddedSipServer {

    private static final Logger LOG = Logger.getLogger(EmbeddedSipServer.class.getName());

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
        starting.start();
        server = starting;
        LOG.info(() -> "Embedded SIP server listening on " + host + ":" + port + " (UDP, TCP) for domain " + domain
                + " with " + starting.accounts().size() + " accounts from " + file);
    }

    @PreDestroy
    void stop() {
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
