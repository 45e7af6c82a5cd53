package io.sipgw.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.sip.registrar.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final FailureThrottle throttle = new FailureThrottle(new ThrottleSettings(5, 20, Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(90), 100), clock);

    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, address);
        }
    }

    @Test
    void fifthFailureWithinTheWindowLocksTheUserForThirtySeconds() {
        fail("alice", "192.0.2.1", 4);
        assertFalse(throttle.isLocked("alice", "192.0.2.9"));

        throttle.failed("alice", "192.0.2.1");

        assertTrue(throttle.isLocked("alice", "192.0.2.9"), "the user is locked from any address");
        assertFalse(throttle.isLocked("bob", "192.0.2.9"), "other users are not");
        clock.advance(Duration.ofSeconds(29));
        assertTrue(throttle.isLocked("alice", "192.0.2.9"));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(throttle.isLocked("alice", "192.0.2.9"));
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        fail("alice", "192.0.2.1", 4);
        clock.advance(Duration.ofSeconds(60));

        fail("alice", "192.0.2.1", 4);

        assertFalse(throttle.isLocked("alice", "192.0.2.1"));
    }

    @Test
    void eachFurtherLockDoublesUpToTheMaximum() {
        fail("alice", "192.0.2.1", 5);
        clock.advance(Duration.ofSeconds(30));
        fail("alice", "192.0.2.1", 5);
        clock.advance(Duration.ofSeconds(59));
        assertTrue(throttle.isLocked("alice", "192.0.2.1"), "second lock: 60 s");
        clock.advance(Duration.ofSeconds(1));
        fail("alice", "192.0.2.1", 5);
        clock.advance(Duration.ofSeconds(89));
        assertTrue(throttle.isLocked("alice", "192.0.2.1"), "third lock: 90 s, the maximum, not 120 s");
        clock.advance(Duration.ofSeconds(1));
        assertFalse(throttle.isLocked("alice", "192.0.2.1"));
    }

    @Test
    void successForgetsTheUsersFailuresButNotTheAddresses() {
        fail("alice", "192.0.2.1", 4);
        throttle.succeeded("alice");
        fail("alice", "192.0.2.1", 4);
        assertFalse(throttle.isLocked("alice", "192.0.2.2"));

        fail("mallory", "192.0.2.1", 12);

        assertTrue(throttle.isLocked("carol", "192.0.2.1"), "20 failures from one address lock it for everyone");
        assertFalse(throttle.isLocked("carol", "192.0.2.2"));
    }

    @Test
    void trackedEntriesAreBoundedAndSweptWhenExpired() {
        for (int i = 0; i < 200; i++) {
            throttle.failed("user" + i, "192.0.2.1");
        }
        assertEquals(100, throttle.tracked(), "never more than the maximum");

        clock.advance(Duration.ofMinutes(10));
        throttle.failed("late", "192.0.2.7");

        assertTrue(throttle.tracked() <= 3, "expired entries swept: " + throttle.tracked());
    }

    @Test
    void lockedForTellsTheLongerOfTheUsersAndTheAddresssLock() {
        assertTrue(throttle.lockedFor("alice", "192.0.2.1").isEmpty());
        fail("alice", "192.0.2.1", 5);
        clock.advance(Duration.ofSeconds(10));

        assertEquals(Duration.ofSeconds(20), throttle.lockedFor("alice", "192.0.2.9").orElseThrow());
        fail("mallory", "192.0.2.1", 15);
        assertEquals(Duration.ofSeconds(30), throttle.lockedFor("alice", "192.0.2.1").orElseThrow(),
                "the address was locked later, for 30 s");
        clock.advance(Duration.ofSeconds(30));
        assertTrue(throttle.lockedFor("alice", "192.0.2.1").isEmpty());
    }
}
