package io.sipgw.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
