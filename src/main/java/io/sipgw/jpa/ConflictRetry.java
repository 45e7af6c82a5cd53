package io.sipgw.jpa;

import jakarta.persistence.OptimisticLockException;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Runs a short update transaction again when another transaction changed the same row in between (a login
 * next to a status change, a phone's registration or a lapse): the optimistic lock makes the later commit
 * fail rather than overwrite, and the next attempt reads the new state. Only for updates that are right to
 * repeat from the start.
 */
public final class ConflictRetry {

    private static final Logger LOG = Logger.getLogger(ConflictRetry.class.getName());

    /** Attempts in all before the conflict is thrown. */
    public static final int MAX_ATTEMPTS = 5;

    private ConflictRetry() {
    }

    /** {@code update}'s result, after at most {@link #MAX_ATTEMPTS} attempts; other failures at once. */
    public static <T> T retrying(Supplier<T> update) {
        for (int attempt = 1; ; attempt++) {
            try {
                return update.get();
            } catch (RuntimeException e) {
                if (attempt >= MAX_ATTEMPTS || !causedByConflict(e)) {
                    throw e;
                }
                LOG.fine(() -> "Update conflicted, trying again: " + e);
            }
        }
    }

    /** As {@link #retrying(Supplier)} for an update without a result. */
    public static void retrying(Runnable update) {
        retrying(() -> {
            update.run();
            return null;
        });
    }

    /** Whether an optimistic-lock conflict is in {@code e}'s causes. */
    public static boolean causedByConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException) {
                return true;
            }
        }
        return false;
    }
}
