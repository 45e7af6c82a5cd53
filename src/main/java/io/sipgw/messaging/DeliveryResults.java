package io.sipgw.messaging;

import io.sipgw.work.WorkerPool;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The far end's answers to sent messages, written with a group commit ({@link GroupCommit}) on the worker
 * pool: the answers of many messages share one transaction ({@link MessageStore#deliveryResults}). Each
 * MESSAGE_STATUS_UPDATED still goes out only after the transaction that wrote it committed. Nothing here is
 * needed for durability: an answer lost in a crash leaves its entry SENT in the database, and the
 * {@link Outbox} sends it again after the restart.
 */
@ApplicationScoped
public class DeliveryResults {

    private static final Logger LOG = Logger.getLogger(DeliveryResults.class.getName());

    /** At most this many answers per transaction, so one commit stays short. */
    static final int MAX_BATCH = 200;

    /** One answer: the sender's entry as stored, and whether the far end took it (2xx). */
    public record Result(Message sent, boolean delivered) {
    }

    @Inject
    MessageStore store;

    @Inject
    WorkerPool workers;

    private GroupCommit<Result> writes;

    @PostConstruct
    void start() {
        writes = new GroupCommit<>(workers, MAX_BATCH, store::deliveryResults, this::writeOne);
    }

    /** Queues the answer; it is written soon, together with the others queued by then. */
    public void record(Message sent, boolean delivered) {
        writes.add(new Result(sent, delivered));
    }

    private void writeOne(Result result) {
        try {
            store.deliveryResults(List.of(result));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record the delivery result of " + result.sent().messageId(), e);
        }
    }
}
