package io.sipgw.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Group commit of small writes: an item is queued, and one writer task on the executor hands everything queued
 * so far (at most {@code maxBatch}) to {@code batch}, which writes it in one transaction; items that arrive
 * while that transaction runs go in the next one. Under load many items share a commit; a lone item is written
 * at once, never held back waiting for company. When a batch fails, each of its items goes to {@code single}
 * on its own, so one bad item (a conflicting write) cannot hold back the others; {@code single} handles its
 * own failures.
 */
final class GroupCommit<T> {

    private final Executor executor;
    private final int maxBatch;
    private final Consumer<List<T>> batch;
    private final Consumer<T> single;
    private final Queue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    GroupCommit(Executor executor, int maxBatch, Consumer<List<T>> batch, Consumer<T> single) {
        this.executor = executor;
        this.maxBatch = maxBatch;
        this.batch = batch;
        this.single = single;
    }

    /** Queues the item; it is written soon, on the executor, together with the others queued by then. */
    void add(T item) {
        pending.add(item);
        startWriter();
    }

    private void startWriter() {
        if (writing.compareAndSet(false, true)) {
            try {
                executor.execute(this::write);
            } catch (RuntimeException e) { // shutting down
                writing.set(false);
                throw e;
            }
        }
    }

    /** One batch in one transaction; only one writer runs at a time, and it starts the next if more waits. */
    private void write() {
        try {
            List<T> items = new ArrayList<>();
            for (T item; items.size() < maxBatch && (item = pending.poll()) != null; ) {
                items.add(item);
            }
            if (items.size() == 1) {
                single.accept(items.get(0));
            } else if (!items.isEmpty()) {
                try {
                    batch.accept(items);
                } catch (RuntimeException e) {
                    items.forEach(single);
                }
            }
        } finally {
            writing.set(false);
        }
        if (!pending.isEmpty()) {
            startWriter(); // what came while this batch committed, in the next transaction
        }
    }
}
