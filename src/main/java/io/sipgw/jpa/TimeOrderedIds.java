package io.sipgw.jpa;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique, increasing numeric ids made in the application: milliseconds since 2025 in the high bits and
 * a counter in the low 22 bits (4 million ids per millisecond). Used instead of database IDENTITY
 * columns, whose generator in embedded Derby serialises concurrent inserts on one lock.
 */
public final class TimeOrderedIds {

    private static final long EPOCH_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final int COUNTER_BITS = 22;
    private static final AtomicLong LAST = new AtomicLong();

    private TimeOrderedIds() {
    }

    public static long next() {
        long candidate = (System.currentTimeMillis() - EPOCH_MILLIS) << COUNTER_BITS;
        return LAST.updateAndGet(last -> Math.max(last + 1, candidate));
    }
}
