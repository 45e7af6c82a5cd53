package io.sipgw.throttle;

import java.time.Duration;

/**
 * How password guessing is slowed down (see {@link FailureThrottle}).
 *
 * @param userFailures    failed password checks for one user name within {@code window} that lock it
 * @param addressFailures failed password checks from one source address within {@code window} that lock it
 * @param window          how long failures are counted
 * @param lock            the first lock; each further lock of the same user or address doubles it
 * @param maxLock         the longest lock
 * @param maxTracked      the most users and addresses tracked at once (memory bound)
 */
public record ThrottleSettings(int userFailures, int addressFailures, Duration window, Duration lock,
        Duration maxLock, int maxTracked) {

    /** 5 failures per user or 20 per address within 60 s lock for 30 s, doubling up to 15 min. */
    public static final ThrottleSettings DEFAULTS = new ThrottleSettings(5, 20, Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofMinutes(15), 10_000);

    public ThrottleSettings {
        if (userFailures < 1 || addressFailures < 1 || maxTracked < 1) {
            throw new IllegalArgumentException("failure thresholds and the tracked maximum must be at least 1");
        }
        if (window.isNegative() || window.isZero() || lock.isNegative() || lock.isZero() || maxLock.compareTo(lock) < 0) {
            throw new IllegalArgumentException("window and lock must be positive and the lock at most maxLock");
        }
    }
}
