package io.sipgw.operations;

import io.sipgw.auth.LoggedIn;
import io.sipgw.auth.LoggedOut;
import io.sipgw.calls.CallStateChanged;
import io.sipgw.messaging.MessageReceived;
import io.sipgw.messaging.MessageSent;
import io.sipgw.messaging.MessageStatusChanged;
import io.sipgw.metrics.LiveCount;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The gateway's MicroProfile Metrics (application scope, served by Payara at {@code /metrics}). Counters
 * count the capabilities' domain events once they committed: logins and logouts, messages sent and received
 * (a repeated incoming message is stored once and counted once), status changes of sent messages, and calls
 * finished by outcome and direction. Gauges are the {@link LiveCount}s the capabilities produce (active
 * registrations, open event sockets, live calls, open SIP dialogs), found through CDI. Nobody calls this bean
 * and it imports no capability's beans.
 */
@ApplicationScoped
public class GatewayMeters {

    static final String LOGINS = "sipgw.logins";
    static final String LOGOUTS = "sipgw.logouts";
    static final String MESSAGES_SENT = "sipgw.messages.sent";
    static final String MESSAGES_RECEIVED = "sipgw.messages.received";
    static final String MESSAGE_STATUS = "sipgw.messages.status";
    static final String CALLS_FINISHED = "sipgw.calls.finished";

    @Inject
    MetricRegistry registry;

    @Inject
    @Any
    Instance<LiveCount> gauges;

    /** Registers the gauges (and the untagged counters at zero) when the application starts. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        for (LiveCount gauge : gauges) {
            registry.gauge(Metadata.builder().withName(gauge.name()).withDescription(gauge.description()).build(),
                    gauge.count(), count -> count.getAsInt());
        }
        registry.counter(Metadata.builder().withName(LOGINS).withDescription("Successful logins").build());
        registry.counter(Metadata.builder().withName(LOGOUTS).withDescription("Logouts (tokens given up)").build());
        registry.counter(Metadata.builder().withName(MESSAGES_SENT).withDescription("Messages sent by users").build());
        registry.counter(Metadata.builder().withName(MESSAGES_RECEIVED)
                .withDescription("Messages received for users (stored once each)").build());
    }

    void loggedIn(@Observes(during = TransactionPhase.AFTER_SUCCESS) LoggedIn event) {
        registry.counter(LOGINS).inc();
    }

    void loggedOut(@Observes(during = TransactionPhase.AFTER_SUCCESS) LoggedOut event) {
        registry.counter(LOGOUTS).inc();
    }

    void messageSent(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessageSent event) {
        registry.counter(MESSAGES_SENT).inc();
    }

    /** Fired only when the insert succeeded, so a repeat (same recipient and messageId) is not counted. */
    void messageReceived(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessageReceived event) {
        registry.counter(MESSAGES_RECEIVED).inc();
    }

    /** A sent message turned DELIVERED, FAILED or READ. */
    void messageStatusChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) MessageStatusChanged event) {
        registry.counter(MESSAGE_STATUS, tag("status", event.data().newStatus())).inc();
    }

    /** A side of a call reached a final state (ENDED, REJECTED, CANCELLED, FAILED), the caller's or the callee's. */
    void callStateChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) CallStateChanged event) {
        if (event.finished()) {
            registry.counter(CALLS_FINISHED, tag("outcome", event.data().newState()),
                    tag("direction", event.direction().name())).inc();
        }
    }

    private static Tag tag(String name, String value) {
        return new Tag(name, value.toLowerCase(Locale.ROOT));
    }
}
