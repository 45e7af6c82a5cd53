package io.sipgw.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** Group commit: items that queue up while one transaction runs share the next; a bad item cannot sink others. */
class GroupCommitTest {

    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final List<List<String>> transactions = new ArrayList<>();
    private final List<String> failing = new ArrayList<>();
    private final GroupCommit<String> writes = new GroupCommit<>(tasks::add, 3, this::batch, this::single);

    private void batch(List<String> items) {
        if (items.stream().anyMatch(failing::contains)) {
            throw new IllegalStateException("conflict");
        }
        transactions.add(List.copyOf(items));
    }

    private void single(String item) {
        if (!failing.contains(item)) {
            transactions.add(List.of(item));
        }
    }

    private void runTasks() {
        for (Runnable task; (task = tasks.poll()) != null; ) {
            task.run();
        }
    }

    @Test
    void aLoneItemIsWrittenAtOnceInItsOwnTransaction() {
        writes.add("a");
        assertEquals(1, tasks.size());
        runTasks();
        assertEquals(List.of(List.of("a")), transactions);
    }

    @Test
    void itemsQueuedWhileTheWriterIsPendingShareOneTransaction() {
        writes.add("a");
        writes.add("b");
        assertEquals(1, tasks.size(), "one writer at a time");
        runTasks();
        writes.add("c");
        runTasks();
        assertEquals(List.of(List.of("a", "b"), List.of("c")), transactions);
    }

    @Test
    void aBatchIsBoundedAndTheRestFollowsInOrderInTheNextTransaction() {
        List.of("a", "b", "c", "d", "e").forEach(writes::add);
        runTasks();
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d", "e")), transactions);
    }

    @Test
    void aFailingBatchIsWrittenOneByOneSoTheOthersStillLand() {
        failing.add("b");
        List.of("a", "b", "c").forEach(writes::add);
        runTasks();
        assertEquals(List.of(List.of("a"), List.of("c")), transactions);
    }
}
