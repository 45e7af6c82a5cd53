package io.sipgw.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipgw.auth.LoggedIn;
import io.sipgw.cluster.Cluster;
import io.sipgw.work.WorkerPool;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What happens at start to the entries the previous run left unanswered (SENT). */
class OutboxTest {

    private static final long MAX_AGE_S = 600;

    private final List<Message> stored = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final List<String> resent = new ArrayList<>();
    private final Map<Runnable, Long> timers = new LinkedHashMap<>();
    private final Outbox outbox = new Outbox();

    OutboxTest() {
        outbox.maxAgeSeconds = MAX_AGE_S;
        outbox.cluster = new Cluster(); // not enabled: a single instance
        outbox.store = new MessageStore() {
            @Override
            public List<Message> unanswered() {
                return stored;
            }

            @Override
            public void deliveryResult(Message sent, boolean delivered) {
                (delivered ? new ArrayList<String>() : failed).add(sent.content());
            }
        };
        outbox.messaging = new Messaging() {
            @Override
            void resend(Message message) {
                resent.add(message.content());
            }
        };
        outbox.workers = new WorkerPool() {
            @Override
            public void execute(Runnable task) {
                task.run();
            }

            @Override
            public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
                timers.put(task, unit.toMillis(delay));
                return null;
            }
        };
    }

    private void left(String sender, String content, long ageSeconds) {
        stored.add(Message.outgoing("msg-" + content, sender, "bob@h", "sip:" + sender, "sip:bob@h", content, null,
                Instant.now().minusSeconds(ageSeconds).truncatedTo(ChronoUnit.MILLIS)));
    }

    @Test
    void entriesOlderThanTheMaximumAgeAreFailedAtStartAndTheOthersWaitForTheirDeadline() {
        left("alice@h", "old", MAX_AGE_S + 1);
        left("alice@h", "young", 60);
        outbox.start(null);
        assertEquals(List.of("old"), failed);
        assertEquals(1, timers.size());
        long delay = timers.values().iterator().next();
        assertEquals((MAX_AGE_S - 60) * 1000.0, delay, 5_000, "FAILED when it reaches the maximum age");
        assertEquals(List.of(), resent);
    }

    @Test
    void aSenderWhoLogsInGetsTheirEntriesSentAgainInOrderAndTheDeadlineNoLongerFailsThem() {
        left("alice@h", "a1", 30);
        left("carol@h", "c1", 20);
        left("alice@h", "a2", 10);
        outbox.start(null);
        outbox.loggedIn(new LoggedIn("alice@h"));
        assertEquals(List.of("a1", "a2"), resent);
        outbox.loggedIn(new LoggedIn("alice@h"));
        assertEquals(List.of("a1", "a2"), resent, "sent again once");
        timers.keySet().forEach(Runnable::run);
        assertEquals(List.of("c1"), failed, "only carol's, who never came back, fails at its deadline");
        outbox.loggedIn(new LoggedIn("carol@h"));
        assertEquals(List.of("a1", "a2"), resent, "a failed entry is not sent any more");
    }
}
