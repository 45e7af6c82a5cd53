package io.sipgw.work;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The pool that runs the gateway's background work: a call's SIP events one after the other, storing an
 * incoming MESSAGE before its 200 OK, delivery results; and one timer thread for the per-call timers (ring
 * and ACK timeouts) and the registration refreshes. Its threads come from the container's
 * {@link ManagedThreadFactory}, so they carry the application's context (naming, class loader) for their whole
 * life. A {@code ManagedExecutorService} or {@code ManagedScheduledExecutorService} would capture and restore
 * that context for every task, and Payara does that with a class-path scan for context providers each time: 7
 * to 10 % of the CPU in the benchmarks (three timers per call were 7 % of a call's). A cancelled timer leaves
 * this timer's queue at once, where the managed scheduled executor kept it (and the context it captured) until
 * it was due. The bind retry stays on the managed scheduled executor.
 *
 * <p>Payara saves the factory's context once, so every thread of this pool runs under the same component
 * invocation: what the container keeps per invocation is shared by all of them. The container-managed
 * entity manager outside a transaction is such a thing; read with {@code jpa.SharedCacheReads} instead.
 */
@ApplicationScoped
public class WorkerPool implements Executor {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    @Resource
    ManagedThreadFactory threads;

    @Inject
    @ConfigProperty(name = "sipgw.workers")
    int size;

    private ThreadPoolExecutor pool;
    private ScheduledThreadPoolExecutor timers;

    @PostConstruct
    void start() {
        pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
        // every thread is made now, on a container thread: the factory takes the context of the thread that
        // asks for a new one, and the first task may come from a SIP stack thread that has none
        pool.prestartAllCoreThreads();
        timers = new ScheduledThreadPoolExecutor(1, threads);
        timers.setRemoveOnCancelPolicy(true); // a ring timer cancelled by the answer leaves at once
        timers.prestartAllCoreThreads();
    }

    /** Creates the pool while the application starts rather than at the first task. */
    void created(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        LOG.fine(() -> "Worker pool of " + size + " threads ready");
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warning(() -> pool.shutdownNow().size() + " background tasks dropped at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /**
     * Runs {@code task} once after the delay, on the timer thread: keep it short (hand longer work to
     * {@link #execute}). Cancelling the answer's future removes the task.
     */
    public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
        return timers.schedule(task, delay, unit);
    }
}
