package io.sipgw.auth;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Runs the logins and logouts of one user one after the other (on this instance), so that the user's
 * registration, live sessions and directory presence change together: a logout with the user's last token
 * can no longer unregister a login that has registered but not yet recorded its session, and the
 * directory entry is never updated by two of them at once.
 *
 * <p>One fair lock per user, held weakly: a lock stays in the map while a thread holds it or waits for it
 * (both keep a strong reference) and is collected afterwards, so memory follows the logins in progress.
 * Users never wait for each other: a login holds its lock for a whole REGISTER, which can last up to the
 * SIP request timeout, and a shared (striped) lock would make unrelated users wait that long too.
 */
final class UserLocks {

    private final LoadingCache<String, ReentrantLock> locks =
            Caffeine.newBuilder().weakValues().build(userId -> new ReentrantLock(true));

    <T> T with(String userId, Supplier<T> work) {
        ReentrantLock lock = locks.get(userId);
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
