package io.sipgw.throttle;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * Where a {@link FailureThrottle} keeps its records: in this instance's memory (the default), or shared by
 * the members of a cluster, so that failures counted on one member lock the user or address on every member.
 */
public interface FailureRecords {

    /** The record of {@code key}, or null. */
    FailureRecord get(String key);

    /**
     * Replaces the record of {@code key} (or {@link FailureRecord#NONE}) by {@code change}'s result, atomically
     * with respect to every other update of the key; returns the record before, or null when the key could not
     * be tracked (the store is full).
     */
    FailureRecord update(String key, Instant now, UnaryOperator<FailureRecord> change);

    void remove(String key);

    /** How many keys are remembered (for a shared store: cluster-wide). */
    int size();
}
