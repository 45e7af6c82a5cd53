package io.sipgw.throttle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.sip.registrar.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The records a throttle keeps, as a cluster shares them: strings that come back as the same record, a time
 * from which they can be forgotten (the shared map's time to live), and throttles that share one store
 * counting each other's failures (members of a cluster sharing the REST login's counters).
 */
class FailureRecordTest {

    private static final ThrottleSettings SETTINGS = new ThrottleSettings(3, 20, Duration.ofSeconds(60),
            Duration.ofSeconds(30), Duration.ofSeconds(90), 100);

    @Test
    void recordsSurviveTheirStringForm() {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");
        FailureRecord one = FailureRecord.NONE.failed(now, 3, SETTINGS);
        assertEquals(FailureRecord.NONE, FailureRecord.fromStrings(FailureRecord.NONE.toStrings()));
        assertEquals(one, FailureRecord.fromStrings(one.toStrings()));
    }

    @Test
    void aRecordIsForgottenAfterItsWindowOrItsLastLockPlusTheLongestLock() {
        Instant now = Instant.parse("2026-12-06T03:00:00Z");
        FailureRecord one = FailureRecord.NONE.failed(now, 3, SETTINGS);
        assertEquals(now.plusSeconds(60), one.forgettableFrom(SETTINGS));
        FailureRecord locked = one.failed(now.plusSeconds(1), 3, SETTINGS).failed(now.plusSeconds(2), 3, SETTINGS);
        assertTrue(locked.lockedSince(one));
        assertEquals(now.plusSeconds(2 + 30 + 90), locked.forgettableFrom(SETTINGS));
    }

    @Test
    void throttlesSharingTheirRecordsLockTogether() {
        MutableClock clock = new MutableClock();
        Shared shared = new Shared();
        FailureThrottle onA = new FailureThrottle(SETTINGS, clock, shared);
        FailureThrottle onB = new FailureThrottle(SETTINGS, clock, shared);

        onA.failed("alice", "192.0.2.1");
        onB.failed("alice", "192.0.2.2");
        assertFalse(onA.isLocked("alice", "192.0.2.3"));
        onA.failed("alice", "192.0.2.1");

        assertTrue(onB.isLocked("alice", "192.0.2.3"), "failures through A and B add up, and B sees A's lock");
        assertEquals(Duration.ofSeconds(30), onB.lockedFor("alice", "192.0.2.3").orElseThrow());
        onB.succeeded("alice");
        assertFalse(onA.isLocked("alice", "192.0.2.3"), "a success through B ends the lock on A too");
        assertNull(shared.get("user:alice"));
    }

    /** A store two throttles share, as a cluster's map would be. */
    private static final class Shared implements FailureRecords {
        private final Map<String, FailureRecord> records = new ConcurrentHashMap<>();

        @Override
        public FailureRecord get(String key) {
            return records.get(key);
        }

        @Override
        public FailureRecord update(String key, Instant now, UnaryOperator<FailureRecord> change) {
            FailureRecord[] before = new FailureRecord[1];
            records.compute(key, (k, old) -> change.apply(before[0] = old == null ? FailureRecord.NONE : old));
            return before[0];
        }

        @Override
        public void remove(String key) {
            records.remove(key);
        }

        @Override
        public int size() {
            return records.size();
        }
    }
}
