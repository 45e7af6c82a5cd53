package io.sipgw.throttle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;
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
 * new keys are not tracked (the address of whoever fills it still is). The records live in this instance's
 * memory unless another {@link FailureRecords} is given (a cluster's shared map, for the REST login).
 */
public final class FailureThrottle {

    private static final Logger LOG = Logger.getLogger(FailureThrottle.class.getName());

    private final ThrottleSettings settings;
    private final Clock clock;
    private final FailureRecords records;

    /** A throttle that keeps its records in this instance's memory. */
    public FailureThrottle(ThrottleSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.records = new InMemory(settings, clock.instant());
    }

    /** A throttle that keeps its records in {@code records} (which bounds them itself). */
    public FailureThrottle(ThrottleSettings settings, Clock clock, FailureRecords records) {
        this.settings = settings;
        this.clock = clock;
        this.records = records;
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
        count(userKey(user), settings.userFailures(), now);
        count(addressKey(address), settings.addressFailures(), now);
    }

    /** {@code user} proved its password: its failures and lock history are forgotten (not its address's). */
    public void succeeded(String user) {
        records.remove(userKey(user));
    }

    public int tracked() {
        return records.size();
    }

    /** The settings this throttle counts and locks by. */
    public ThrottleSettings settings() {
        return settings;
    }

    private Instant lockedUntil(String key) {
        FailureRecord record = records.get(key);
        return record == null ? Instant.MIN : record.lockedUntil();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private void count(String key, int threshold, Instant now) {
        FailureRecord[] after = new FailureRecord[1];
        FailureRecord before = records.update(key, now, r -> after[0] = r.failed(now, threshold, settings));
        if (before != null && after[0] != null && after[0].lockedSince(before)) {
            Instant until = after[0].lockedUntil();
            LOG.warning(() -> "too many failed password checks for " + key + ": locked until " + until);
        }
    }

    private static String userKey(String user) {
        return "user:" + user;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /**
     * Records in this instance's memory: at most {@code maxTracked}, swept of forgettable ones once per
     * window and when full; when still full, a new key is not tracked.
     */
    private static final class InMemory implements FailureRecords {
        private final ThrottleSettings settings;
        private final Map<String, FailureRecord> entries = new ConcurrentHashMap<>();
        private volatile Instant nextSweep;

        InMemory(ThrottleSettings settings, Instant now) {
            this.settings = settings;
            this.nextSweep = now.plus(settings.window());
        }

        @Override
        public FailureRecord get(String key) {
            return entries.get(key);
        }

        @Override
        public FailureRecord update(String key, Instant now, UnaryOperator<FailureRecord> change) {
            if (now.isAfter(nextSweep)) {
                nextSweep = now.plus(settings.window());
                sweep(now);
            }
            if (!entries.containsKey(key) && entries.size() >= settings.maxTracked()) {
                sweep(now);
                if (entries.size() >= settings.maxTracked()) {
                    LOG.warning(() -> "failure throttle full (" + settings.maxTracked() + " entries): not tracking " + key);
                    return null;
                }
            }
            FailureRecord[] before = new FailureRecord[1];
            entries.compute(key, (k, old) -> {
                before[0] = old == null ? FailureRecord.NONE : old;
                return change.apply(before[0]);
            });
            return before[0];
        }

        @Override
        public void remove(String key) {
            entries.remove(key);
        }

        @Override
        public int size() {
            return entries.size();
        }

        private void sweep(Instant now) {
            entries.values().removeIf(record -> !now.isBefore(record.forgettableFrom(settings)));
        }
    }
}
