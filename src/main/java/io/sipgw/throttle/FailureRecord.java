package io.sipgw.throttle;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link FailureThrottle} remembers of one user name or address: the failures in the current window,
 * its lock, and how many locks it had (each further lock doubles). Immutable: a failure makes a new record,
 * so the same rules serve records kept in this instance's memory and records shared by a cluster.
 *
 * @param windowStart when the current window of failures started ({@link Instant#MIN}: none running)
 * @param failures    failures in that window
 * @param locks       locks so far
 * @param lockedUntil the end of the current or last lock ({@link Instant#MIN}: never locked)
 */
public record FailureRecord(Instant windowStart, int failures, int locks, Instant lockedUntil) {

    /** Nothing known of the key. */
    public static final FailureRecord NONE = new FailureRecord(Instant.MIN, 0, 0, Instant.MIN);

    /** The record after one more failure at {@code now}; unchanged while the key is locked. */
    public FailureRecord failed(Instant now, int threshold, ThrottleSettings settings) {
        if (now.isBefore(lockedUntil)) {
            return this;
        }
        boolean windowOver = windowStart.equals(Instant.MIN) || !now.isBefore(windowStart.plus(settings.window()));
        Instant start = windowOver ? now : windowStart;
        int counted = (windowOver ? 0 : failures) + 1;
        if (counted < threshold) {
            return new FailureRecord(start, counted, locks, lockedUntil);
        }
        return new FailureRecord(Instant.MIN, 0, locks + 1, now.plus(lockDuration(settings)));
    }

    /** Whether this record's lock is newer than {@code before}'s: the failure that made it locked the key. */
    public boolean lockedSince(FailureRecord before) {
        return locks > before.locks;
    }

    private Duration lockDuration(ThrottleSettings settings) {
        Duration lock = settings.lock();
        for (int i = 0; i < locks && lock.compareTo(settings.maxLock()) < 0; i++) {
            lock = lock.multipliedBy(2);
        }
        return lock.compareTo(settings.maxLock()) > 0 ? settings.maxLock() : lock;
    }

    /**
     * From when there is nothing left to remember: no lock, no failures in a running window, and the last
     * lock long enough ago (the longest lock) that its doubling may start over.
     */
    public Instant forgettableFrom(ThrottleSettings settings) {
        Instant windowEnd = windowStart.equals(Instant.MIN) ? Instant.MIN : windowStart.plus(settings.window());
        Instant lockMemory = lockedUntil.equals(Instant.MIN) ? Instant.MIN : lockedUntil.plus(settings.maxLock());
        return windowEnd.isAfter(lockMemory) ? windowEnd : lockMemory;
    }

    /** The record as strings, for a store that keeps strings only (a cluster's shared map). */
    public String[] toStrings() {
        return new String[] {windowStart.toString(), String.valueOf(failures), String.valueOf(locks), lockedUntil.toString()};
    }

    /** The record {@link #toStrings} wrote. */
    public static FailureRecord fromStrings(String[] fields) {
        return new FailureRecord(Instant.parse(fields[0]), Integer.parseInt(fields[1]), Integer.parseInt(fields[2]),
                Instant.parse(fields[3]));
    }
}
