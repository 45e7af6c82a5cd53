package io.sipgw.operations;

import io.sipgw.calls.Legs;
import io.sipgw.events.SocketRegistry;
import io.sipgw.sip.Registrations;
import io.sipgw.sip.SipUserAgent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The gateway's MicroProfile Metrics (application scope, served by Payara at {@code /metrics}): logins,
 * messages sent and received, finished calls by outcome, and gauges of active registrations, open event
 * sockets, live calls and open SIP dialogs (both zero when no call is going on: nothing left behind).
 * Capabilities report what happened; this bean owns the names.
 */
@ApplicationScoped
public class GatewayMeters {

    static final String LOGINS = "sipgw.logins";
    static final String MESSAGES_SENT = "sipgw.messages.sent";
    static final String MESSAGES_RECEIVED = "sipgw.messages.received";
    static final String CALLS_FINISHED = "sipgw.calls.finished";
    static final String REGISTRATIONS_ACTIVE = "sipgw.registrations.active";
    static final String SOCKETS_OPEN = "sipgw.websocket.sessions";
    static final String CALLS_LIVE = "sipgw.calls.live";
    static final String DIALOGS_OPEN = "sipgw.sip.dialogs";

    @Inject
    MetricRegistry registry;

    @Inject
    Registrations registrations;

    @Inject
    SocketRegistry sockets;

    @Inject
    Legs calls;

    @Inject
    SipUserAgent agent;

    /** Registers the gauges (and counters at zero) when the application starts. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        registry.gauge(Metadata.builder().withName(REGISTRATIONS_ACTIVE)
                .withDescription("SIP registrations the gateway holds for logged-in users").build(),
                registrations, Registrations::activeCount);
        registry.gauge(Metadata.builder().withName(SOCKETS_OPEN)
                .withDescription("Open WebSocket event sessions on this instance").build(),
                sockets, SocketRegistry::total);
        registry.gauge(Metadata.builder().withName(CALLS_LIVE)
                .withDescription("Call legs with live SIP state (ringing or active) on this instance").build(),
                calls, Legs::liveCalls);
        registry.gauge(Metadata.builder().withName(DIALOGS_OPEN)
                .withDescription("SIP dialogs (early and confirmed) the gateway's user agent holds").build(),
                agent, SipUserAgent::openDialogs);
        registry.counter(Metadata.builder().withName(LOGINS).withDescription("Successful logins").build());
        registry.counter(Metadata.builder().withName(MESSAGES_SENT).withDescription("Messages sent by users").build());
        registry.counter(Metadata.builder().withName(MESSAGES_RECEIVED)
                .withDescription("Messages received for users (stored once each)").build());
    }

    public void loggedIn() {
        registry.counter(LOGINS).inc();
    }

    public void messageSent() {
        registry.counter(MESSAGES_SENT).inc();
    }

    public void messageReceived() {
        registry.counter(MESSAGES_RECEIVED).inc();
    }

    /**
     * A side of a call reached a final state.
     *
     * @param outcome the final state (ENDED, REJECTED, CANCELLED, FAILED)
     * @param direction OUTGOING (the caller's side) or INCOMING (the callee's side)
     */
    public void callFinished(String outcome, String direction) {
        registry.counter(CALLS_FINISHED, new Tag("outcome", outcome.toLowerCase(Locale.ROOT)),
                new Tag("direction", direction.toLowerCase(Locale.ROOT))).inc();
    }
}
