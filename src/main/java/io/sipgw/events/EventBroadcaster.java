package io.sipgw.events;

import io.sipgw.auth.LoggedOut;
import io.sipgw.cluster.Cluster;
import io.sipgw.users.PresenceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.List;
import java.util.logging.Logger;

/**
 * The one observer of user notifications and presence broadcasts: after the firing transaction commits (or at
 * once, when there was none) it frames the event and hands it to this instance's sockets. In a cluster
 * ({@link Cluster}) it also publishes the framed event on the topic {@value #TOPIC}, and what other members
 * publish there goes to this instance's sockets only: each event is framed once, on the instance where it
 * happened, reaches every socket of its user on every instance once, and is never published again.
 */
@ApplicationScoped
public class EventBroadcaster {

    private static final Logger LOG = Logger.getLogger(EventBroadcaster.class.getName());
    private static final Jsonb JSONB = JsonbBuilder.create();
    /** The cluster topic of socket events: {@code [kind, userId, text]}. */
    static final String TOPIC = "sipgw.events";
    /** A frame for every socket of userId. */
    static final String TO_USER = "USER";
    /** A frame for every socket except userId's. */
    static final String TO_ALL_BUT = "ALL_BUT";
    /** Close the sockets of userId opened with the token id in text (logout). */
    static final String CLOSE_TOKEN = "CLOSE_TOKEN";

    @Inject
    SocketRegistry sockets;

    @Inject
    Cluster cluster;

    /** At start, so that events from other members reach this instance's sockets before any event of its own. */
    void listen(@Observes @Initialized(ApplicationScoped.class) Object started) {
        cluster.subscribe(TOPIC, this::fromOtherMember);
    }

    void deliver(@Observes(during = TransactionPhase.AFTER_SUCCESS) UserNotification notification) {
        fanOut(TO_USER, notification.recipient(), toJson(EventFrame.of(notification.type(), notification.data())));
    }

    /** Presence goes to everyone else (the one broadcast): observed by type, so users needs nothing of events. */
    void presenceChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) PresenceChanged change) {
        fanOut(TO_ALL_BUT, change.except(), toJson(EventFrame.of(change.type(), change.data())));
    }

    void loggedOut(@Observes(during = TransactionPhase.AFTER_SUCCESS) LoggedOut event) {
        fanOut(CLOSE_TOKEN, event.userId(), event.jti());
    }

    /** This instance's sockets, then (in a cluster) every other member's. */
    private void fanOut(String kind, String userId, String text) {
        toLocalSockets(kind, userId, text);
        cluster.publish(TOPIC, kind, userId, text);
    }

    /** What another member published: this instance's sockets only, never published again. */
    void fromOtherMember(List<String> message) {
        if (message.size() != 3) {
            LOG.warning(() -> "Ignored a malformed message on cluster topic " + TOPIC + " (" + message.size() + " fields)");
            return;
        }
        toLocalSockets(message.get(0), message.get(1), message.get(2));
    }

    private void toLocalSockets(String kind, String userId, String text) {
        switch (kind) {
            case TO_USER -> sockets.sendToUser(userId, text);
            case TO_ALL_BUT -> sockets.sendToAll(text, userId);
            case CLOSE_TOKEN -> sockets.closeToken(userId, text);
            default -> LOG.warning(() -> "Ignored an event of unknown kind " + kind + " on cluster topic " + TOPIC);
        }
    }

    static String toJson(EventFrame frame) {
        return JSONB.toJson(frame);
    }
}
