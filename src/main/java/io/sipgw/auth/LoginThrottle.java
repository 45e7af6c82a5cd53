package io.sipgw.auth;

import io.sipgw.api.ErrorCode;
import io.sipgw.api.RetryLaterException;
import io.sipgw.cluster.Cluster;
import io.sipgw.throttle.FailureThrottle;
import io.sipgw.throttle.ThrottleSettings;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slows down password guessing through {@code POST /auth/login}: failed logins are counted per user
 * ({@code user@host} of the SIP URI) and per client address, and a user or address that failed too often
 * is locked for a while ({@code sipgw.auth.throttle.*}, the same mechanism and defaults as the embedded
 * SIP server's {@code sipgw.registrar.throttle.*}). A locked login is refused before anything is sent to
 * the SIP server: {@code 429 TOO_MANY_ATTEMPTS} with {@code Retry-After}. Unknown users are counted like
 * known ones, so a lock tells nothing about who exists. In a cluster the counters and locks are the
 * cluster's ({@link SharedLoginFailures}): failures through one member lock the user or address on all.
 */
@ApplicationScoped
public class LoginThrottle {

    @Inject
    @ConfigProperty(name = "sipgw.auth.throttle.user-failures")
    int userFailures;

    @Inject
    @ConfigProperty(name = "sipgw.auth.throttle.address-failures")
    int addressFailures;

    @Inject
    @ConfigProperty(name = "sipgw.auth.throttle.window-seconds")
    long windowSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.auth.throttle.lock-seconds")
    long lockSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.auth.throttle.max-lock-seconds")
    long maxLockSeconds;

    @Inject
    Cluster cluster;

    private FailureThrottle throttle;

    @PostConstruct
    void start() {
        ThrottleSettings settings = new ThrottleSettings(userFailures, addressFailures,
                Duration.ofSeconds(windowSeconds), Duration.ofSeconds(lockSeconds), Duration.ofSeconds(maxLockSeconds),
                ThrottleSettings.DEFAULTS.maxTracked());
        throttle = cluster.enabled()
                ? new FailureThrottle(settings, Clock.systemUTC(), new SharedLoginFailures(cluster, settings))
                : new FailureThrottle(settings, Clock.systemUTC());
    }

    /** Refuses the attempt with 429 while the user or the address is locked. */
    void checkNotLocked(String userId, String address) {
        throttle.lockedFor(userId, address).ifPresent(left -> {
            throw new RetryLaterException(ErrorCode.TOO_MANY_ATTEMPTS, left);
        });
    }

    void failed(String userId, String address) {
        throttle.failed(userId, address);
    }

    void succeeded(String userId) {
        throttle.succeeded(userId);
    }
}
