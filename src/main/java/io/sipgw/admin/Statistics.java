package io.sipgw.admin;

import io.sipgw.calls.CallState;
import io.sipgw.calls.CallStore;
import io.sipgw.messaging.MessageStore;
import io.sipgw.users.UserDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Counts the gateway's users, calls and messages from the database for the admin summary. */
@ApplicationScoped
public class Statistics {

    @Inject
    UserDirectory directory;

    @Inject
    CallStore calls;

    @Inject
    MessageStore messages;

    public StatsSummary summary() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new StatsSummary(
                directory.count(null, null),
                directory.countPresent(),
                calls.countCalls(null),
                calls.countCalls(CallState.ACTIVE),
                messages.countMessages(null),
                messages.countMessages(now.minus(Duration.ofHours(24))),
                ManagementFactory.getRuntimeMXBean().getUptime() / 1000,
                now);
    }
}
