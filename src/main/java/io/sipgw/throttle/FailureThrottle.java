package io.sipgw.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Counts failed password checks per user name and per source address, and locks either for a while once
 * it failed too often (Kamailio's pike/htable or fail2ban in front of Asterisk do the same job). While a
 * user or an address is locked every attempt with credentials is refused at once, without checking them,
 * so a guesser learns nothing and spends nothing of ours. Each further lock of the same key doubles, up to
 * the maximum; a success for the user ends its history. Used by the embedded SIP server for digest checks
 * and by the REST login, each with its own instance and settings.
 *
 * <p>Unknown user names are counted like known ones, so a lock says nothing about existence. Memory is
 * bounded: at most {@code maxTracked} entries, swept of expired ones as they go; when it is still full,
 * new keys are not tracked (the address of whoever fills it still is).
 */
public final class FailureThrottle {

    private static final Logger LOG = Logger.getLogger(FailureThrottle.class.getName());

    private final ThrottleSettings settings;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Instant nextSweep;

    public FailureThrottle(ThrottleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.nextSweep = clock.instant().plus(settings.window());
    }

    /** Either the user name or the address is locked now. */
    public boolean isLocked(String user, String address) {
        return lockedFor(user, address).isPresent();
    }

    /** How long the user name or the address (whichever is locked longer) stays locked; empty if neither is. */
    public Optional<Duration> lockedFor(String user, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(userKey(user)), lockedUntil(addressKey(address)));
        return now.isBefore(until) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** A failed check of {@code user}'s credentials sent from {@code address}. */
    public void failed(String user, String address) {
        Instant now = clock.instant();
        sweepIfDue(now);
        count(userKey(user), settings.userFailures(), now);
        count(addressKey(address), settings.addressFailures(), now);
    }

    /** {@code user} proved its password: its failures and lock history are forgotten (not its address's). */
    public void succeeded(String user) {
        entries.remove(userKey(user));
    }

    public int tracked() {
        return entries.size();
    }

    private Instant lockedUntil(String key) {
        Entry entry = entries.get(key);
        return entry == null ? Instant.MIN : entry.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void count(String key, int threshold, Instant now) {
        Entry entry = entries.get(key);
        if (entry == null) {
            if (entries.size() >= settings.maxTracked()) {
                sweep(now);
                if (entries.size() >= settings.maxTracked()) {
                    LOG.warning(() -> "failure throttle full (" + settings.maxTracked() + " entries): not tracking " + key);
                    return;
                }
            }
            entry = entries.computeIfAbsent(key, k -> new Entry());
        }
        if (entry.fail(now, threshold)) {
            Instant until = entry.lockedUntil();
            LOG.warning(() -> "too many failed password checks for " + key + ": locked until " + until);
        }
    }

    private void sweepIfDue(Instant now) {
        if (now.isAfter(nextSweep)) {
            nextSweep = now.plus(settings.window());
            sweep(now);
        }
    }

    private void sweep(Instant now) {
        entries.values().removeIf(entry -> entry.forgettableAt(now));
    }

    private static String userKey(String user) {
        return "user:" + user;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** The failures of one key in the current window, its lock and how many locks it had. */
    private final class Entry {
        private Instant windowStart = Instant.MIN;
        private int failures;
        private int locks;
        private Instant lockedUntil = Instant.MIN;

        synchronized Instant lockedUntil() {
            return lockedUntil;
        }

        /** Counts one failure; true if it locked the key. */
        synchronized boolean fail(Instant now, int threshold) {
            if (now.isBefore(lockedUntil)) {
                return false;
            }
            if (!now.isBefore(windowStart.plus(settings.window()))) {
                windowStart = now;
                failures = 0;
            }
            failures++;
            if (failures < threshold) {
                return false;
            }
            lockedUntil = now.plus(lockDuration());
            locks++;
            failures = 0;
            windowStart = Instant.MIN;
            return true;
        }

        private Duration lockDuration() {
            Duration lock = settings.lock();
            for (int i = 0; i < locks && lock.compareTo(settings.maxLock()) < 0; i++) {
                lock = lock.multipliedBy(2);
            }
            return lock.compareTo(settings.maxLock()) > 0 ? settings.maxLock() : lock;
        }

        /**
         * Nothing left to remember: no lock, no failures in a running window, and the last lock long enough
         * ago (the longest lock) that its doubling may start over.
         */
        synchronized boolean forgettableAt(Instant now) {
            Instant windowEnd = windowStart == Instant.MIN ? Instant.MIN : windowStart.plus(settings.window());
            Instant lockMemory = lockedUntil == Instant.MIN ? Instant.MIN : lockedUntil.plus(settings.maxLock());
            return !now.isBefore(windowEnd) && !now.isBefore(lockMemory);
        }
    }
}
