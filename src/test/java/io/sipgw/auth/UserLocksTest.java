package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UserLocksTest {

    private final UserLocks locks = new UserLocks();

    @Test
    void loginsOfOneUserNeverOverlap() throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                runs.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        locks.with("alice", () -> {
                            mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            inside.decrementAndGet();
                            return null;
                        });
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, mostInside.get(), "two logins of one user ran at the same time");
    }

    @Test
    void aSlowLoginOfOneUserDoesNotHoldUpAnotherUser() throws Exception {
        CountDownLatch aliceInside = new CountDownLatch(1);
        CountDownLatch releaseAlice = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> alice = pool.submit(() -> locks.with("alice", () -> {
                aliceInside.countDown();
                try {
                    return releaseAlice.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }));
            assertTrue(aliceInside.await(10, TimeUnit.SECONDS));
            // hundreds of other users get through while alice's login is still inside its lock
            Future<Integer> others = pool.submit(() -> {
                int through = 0;
                for (int i = 0; i < 500; i++) {
                    String user = "user" + i;
                    through += locks.with(user, () -> user).equals(user) ? 1 : 0;
                }
                return through;
            });
            assertEquals(500, others.get(10, TimeUnit.SECONDS));
            releaseAlice.countDown();
            alice.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }
}
