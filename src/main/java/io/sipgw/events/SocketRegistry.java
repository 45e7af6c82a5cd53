package io.sipgw.events;

import io.sipgw.metrics.LiveCount;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every open event socket of this instance, by user. The only place that sends on sockets: sends are
 * asynchronous, and a socket whose client stopped reading (too many sends pending) is closed rather
 * than allowed to hold memory or stall anyone else. A user holds at most
 * {@code sipgw.ws.max-sockets-per-user} sockets, and a socket lives no longer than the token it was
 * opened with: at the token's {@code exp} it is closed with {@link #TOKEN_EXPIRED_CLOSE}.
 */
@ApplicationScoped
public class SocketRegistry {

    private static final Logger LOG = Logger.getLogger(SocketRegistry.class.getName());
    static final int MAX_PENDING_SENDS = 1000;
    /** Close code of a socket whose token expired (application range 4000-4999, like HTTP's 401). */
    static final CloseReason.CloseCode TOKEN_EXPIRED_CLOSE = CloseReason.CloseCodes.getCloseCode(4001);
    /** Close reason of a socket refused because its user holds the most sockets allowed. */
    static final String TOO_MANY_SOCKETS = "TOO_MANY_SOCKETS";

    private final Map<String, Set<Session>> byUser = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pendingBySession = new ConcurrentHashMap<>();
    private final Map<String, Future<?>> expiryBySession = new ConcurrentHashMap<>();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "sipgw.ws.max-sockets-per-user")
    int maxSocketsPerUser;

    /**
     * Takes the user's new socket, to be closed when its token expires at {@code expiresAt}.
     *
     * @return false, taking nothing, when the user holds {@code sipgw.ws.max-sockets-per-user} sockets already
     */
    boolean add(String userId, Session session, Instant expiresAt) {
        boolean[] added = {false};
        byUser.compute(userId, (u, sessions) -> {
            Set<Session> open = sessions == null ? ConcurrentHashMap.newKeySet() : sessions;
            if (open.size() < maxSocketsPerUser) {
                added[0] = open.add(session);
            }
            return open.isEmpty() ? null : open;
        });
        if (!added[0]) {
            return false;
        }
        pendingBySession.put(session.getId(), new AtomicInteger());
        long delayMs = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
        expiryBySession.put(session.getId(), scheduler.schedule(() -> {
            expiryBySession.remove(session.getId());
            close(session, TOKEN_EXPIRED_CLOSE, "TOKEN_EXPIRED");
        }, delayMs, TimeUnit.MILLISECONDS));
        if (!session.isOpen()) { // closed while being added: its @OnClose may have run before the add
            remove(userId, session);
        }
        return true;
    }

    void remove(String userId, Session session) {
        byUser.computeIfPresent(userId, (u, sessions) -> {
            sessions.remove(session);
            return sessions.isEmpty() ? null : sessions;
        });
        pendingBySession.remove(session.getId());
        Future<?> expiry = expiryBySession.remove(session.getId());
        if (expiry != null) {
            expiry.cancel(false);
        }
    }

    /** Number of open sockets on this instance. */
    public int total() {
        return byUser.values().stream().mapToInt(Set::size).sum();
    }

    @Produces
    LiveCount openSocketsGauge() {
        return new LiveCount("sipgw.websocket.sessions", "Open WebSocket event sessions on this instance", this::total);
    }

    /** Sends a text frame to every socket of the user; never blocks. */
    public void sendToUser(String userId, String text) {
        Set<Session> sessions = byUser.get(userId);
        if (sessions != null) {
            for (Session session : sessions) {
                send(session, text);
            }
        }
    }

    /** Sends a text frame to every socket of every user, except those of {@code exceptUserId}. */
    public void sendToAll(String text, String exceptUserId) {
        byUser.forEach((userId, sessions) -> {
            if (!userId.equals(exceptUserId)) {
                sessions.forEach(s -> send(s, text));
            }
        });
    }

    void send(Session session, String text) {
        AtomicInteger pending = pendingBySession.get(session.getId());
        if (pending == null || !session.isOpen()) {
            return;
        }
        if (pending.incrementAndGet() > MAX_PENDING_SENDS) {
            close(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, "client too slow");
            return;
        }
        try {
            // see ContextProviderScanShield: Tyrus re-arms the idle timer for every frame
            ContextProviderScanShield.run(() -> session.getAsyncRemote().sendText(text, result -> {
                pending.decrementAndGet();
                if (!result.isOK()) {
                    LOG.log(Level.FINE, "Send on socket " + session.getId() + " failed", result.getException());
                }
            }));
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            LOG.log(Level.FINE, "Send on socket " + session.getId() + " failed", e);
        }
    }

    /** Closes every socket opened with the given token (logout). */
    public void closeToken(String userId, String jti) {
        Set<Session> sessions = byUser.get(userId);
        if (sessions != null) {
            for (Session session : sessions) {
                if (jti.equals(session.getUserProperties().get(EventsSocket.JTI))) {
                    close(session, CloseReason.CloseCodes.NORMAL_CLOSURE, "logged out");
                }
            }
        }
    }

    static void close(Session session, CloseReason.CloseCode code, String reason) {
        try {
            session.close(new CloseReason(code, reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "Closing socket " + session.getId() + " failed", e);
        }
    }
}
