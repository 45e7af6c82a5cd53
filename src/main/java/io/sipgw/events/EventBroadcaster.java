package io.sipgw.events;

import io.sipgw.auth.LoggedOut;
import io.sipgw.users.PresenceChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * The one observer of user notifications and presence broadcasts: after the firing transaction commits (or at
 * once, when there was none) it frames the event and hands it to the sockets. A cluster would replace only this bean.
 */
@ApplicationScoped
public class EventBroadcaster {

    private static final Jsonb JSONB = JsonbBuilder.create();

    @Inject
    SocketRegistry sockets;

    void deliver(@Observes(during = TransactionPhase.AFTER_SUCCESS) UserNotification notification) {
        sockets.sendToUser(notification.recipient(), toJson(EventFrame.of(notification.type(), notification.data())));
    }

    /** Presence goes to everyone else (the one broadcast): observed by type, so users needs nothing of events. */
    void presenceChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) PresenceChanged change) {
        sockets.sendToAll(toJson(EventFrame.of(change.type(), change.data())), change.except());
    }

    void loggedOut(@Observes(during = TransactionPhase.AFTER_SUCCESS) LoggedOut event) {
        sockets.closeToken(event.userId(), event.jti());
    }

    static String toJson(EventFrame frame) {
        return JSONB.toJson(frame);
    }
}
