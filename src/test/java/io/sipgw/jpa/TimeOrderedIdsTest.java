package io.sipgw.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

    @Test
    void idsIncreaseInOneThread() {
        long previous = TimeOrderedIds.next();
        for (int i = 0; i < 10_000; i++) {
            long next = TimeOrderedIds.next();
            assertTrue(next > previous);
            previous = next;
        }
    }

    @Test
    void concurrentCallersNeverGetTheSameId() {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        IntStream.range(0, 100_000).parallel().forEach(i -> ids.add(TimeOrderedIds.next()));
        assertEquals(100_000, ids.size());
    }

    @Test
    void twoNodesInTheSameMillisecondNeverMakeTheSameId() {
        // the same clock and counter on two cluster members: the node part tells them apart
        long state = (123_456_789L << TimeOrderedIds.COUNTER_BITS) | 7;
        assertNotEquals(TimeOrderedIds.compose(state, 1), TimeOrderedIds.compose(state, 2));
        // the millisecond stays where it was (bit 22 up), so ids of different nodes keep their time order
        assertEquals(123_456_789L, TimeOrderedIds.compose(state, 2) >>> 22);
        assertTrue(TimeOrderedIds.compose(state + (1L << TimeOrderedIds.COUNTER_BITS), 1) > TimeOrderedIds.compose(state, 255));
        // a counter that runs over its bits runs on into the next millisecond, never into the node
        long full = (123_456_789L << TimeOrderedIds.COUNTER_BITS) | ((1L << TimeOrderedIds.COUNTER_BITS) - 1);
        assertEquals(3, (TimeOrderedIds.compose(full + 1, 3) >>> TimeOrderedIds.COUNTER_BITS) & TimeOrderedIds.MAX_NODE);
        assertEquals(123_456_790L, TimeOrderedIds.compose(full + 1, 3) >>> 22);
    }

    @Test
    void aNodeOutsideItsBitsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TimeOrderedIds.useNode(256));
        assertThrows(IllegalArgumentException.class, () -> TimeOrderedIds.useNode(-1));
    }
}
