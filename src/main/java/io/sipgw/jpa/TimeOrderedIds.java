package io.sipgw.jpa;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique, increasing numeric ids made in the application: milliseconds since 2025 in the high bits (from
 * bit 22 up), then the node (8 bits) and a counter (14 bits: 16,384 ids per millisecond and node; more run
 * on into the next millisecond). Used instead of database IDENTITY columns, whose generator in embedded
 * Derby serialises concurrent inserts on one lock. One instance alone is node 0; each member of a cluster
 * gets a node of its own, 1 to 255, unique among the live members ({@link #useNode}), so two members
 * storing in the same millisecond never make the same id (they did when the counter alone was unique per
 * JVM). Ids of one node increase; across nodes they are ordered by the millisecond.
 */
public final class TimeOrderedIds {

    private static final long EPOCH_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    static final int NODE_BITS = 8;
    static final int COUNTER_BITS = 14;
    public static final int MAX_NODE = (1 << NODE_BITS) - 1;
    /** Milliseconds and counter of the last id, as {@code millis << COUNTER_BITS | counter}. */
    private static final AtomicLong LAST = new AtomicLong();
    private static volatile int node;

    private TimeOrderedIds() {
    }

    /** The node part of the ids made from now on: 0 alone, 1 to {@link #MAX_NODE} as a cluster member. */
    public static void useNode(int newNode) {
        if (newNode < 0 || newNode > MAX_NODE) {
            throw new IllegalArgumentException("node must be 0 to " + MAX_NODE + ", not " + newNode);
        }
        node = newNode;
    }

    public static long next() {
        long candidate = (System.currentTimeMillis() - EPOCH_MILLIS) << COUNTER_BITS;
        return compose(LAST.updateAndGet(last -> Math.max(last + 1, candidate)), node);
    }

    /** The id of {@code state} ({@code millis << COUNTER_BITS | counter}) made on {@code node}. */
    static long compose(long state, int node) {
        long millis = state >>> COUNTER_BITS;
        long counter = state & ((1L << COUNTER_BITS) - 1);
        return millis << (NODE_BITS + COUNTER_BITS) | (long) node << COUNTER_BITS | counter;
    }
}
