package io.sipgw.auth;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the logins and logouts of one user one after the other (on this instance), so that the user's
 * registration, live sessions and directory presence change together: a logout with the user's last token
 * can no longer unregister a login that has registered but not yet recorded its session, and the
 * directory entry is never updated by two of them at once. Striped: users share 256 fair locks by hash,
 * so memory stays fixed; two users on one stripe merely wait for each other.
 */
final class UserLocks {

    private static final int STRIPES = 256;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    UserLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock(true);
        }
    }

    <T> T with(String userId, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(userId.hashCode(), STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
