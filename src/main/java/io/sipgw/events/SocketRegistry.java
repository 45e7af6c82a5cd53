package io.sipgw.events;

import io.sipgw.metrics.LiveCount;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
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
 *
 * <p>Expiry and idleness (no frame either way for {@code sipgw.ws.idle-timeout-seconds}) are found by one
 * sweep a second over all sockets, not by a timer per socket. Tyrus's own idle timeout re-armed a timer on
 * Payara's managed scheduled executor for every frame, and a cancelled timer stays in that executor's queue
 * until it would have run: with 2,500 users logged in (each login a presence frame to every socket) the
 * heap held 3.1 million of them, 1 GiB, and the server stopped answering (bench/heap.sh, issue 15).
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
    private final Map<String, Open> bySession = new ConcurrentHashMap<>();

    @Resource
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "sipgw.ws.max-sockets-per-user")
    int maxSocketsPerUser;

    @Inject
    @ConfigProperty(name = "sipgw.ws.idle-timeout-seconds")
    long idleTimeoutSeconds;

    private Future<?> sweep;

    /** What the registry keeps of an open socket: its sends in flight, when its token expires, its last frame. */
    private static final class Open {
        final Session session;
        final AtomicInteger pending = new AtomicInteger();
        final long expiresAtMillis;
        volatile long lastFrameNanos = System.nanoTime();

        Open(Session session, long expiresAtMillis) {
            this.session = session;
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    @PostConstruct
    void startSweep() {
        sweep = scheduler.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stopSweep() {
        if (sweep != null) {
            sweep.cancel(false);
        }
    }

    /** Closes the sockets whose token expired and those without a frame either way for the idle timeout. */
    void sweep() {
        try {
            long now = System.currentTimeMillis();
            long idleBefore = System.nanoTime() - TimeUnit.SECONDS.toNanos(idleTimeoutSeconds);
            for (Open open : bySession.values()) {
                if (now >= open.expiresAtMillis) {
                    bySession.remove(open.session.getId(), open);
                    close(open.session, TOKEN_EXPIRED_CLOSE, "TOKEN_EXPIRED");
                } else if (idleTimeoutSeconds > 0 && open.lastFrameNanos - idleBefore < 0) {
                    bySession.remove(open.session.getId(), open);
                    close(open.session, CloseReason.CloseCodes.GOING_AWAY, "idle for " + idleTimeoutSeconds + " s");
                }
            }
        } catch (RuntimeException e) { // the sweep must go on
            LOG.log(Level.WARNING, "Sweep of event sockets failed", e);
        }
    }

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
        bySession.put(session.getId(), new Open(session, expiresAt.toEpochMilli()));
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
        bySession.remove(session.getId());
    }

    /** A frame came from the client: the socket is not idle. */
    void received(Session session) {
        Open open = bySession.get(session.getId());
        if (open != null) {
            open.lastFrameNanos = System.nanoTime();
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
        Open open = bySession.get(session.getId());
        if (open == null || !session.isOpen()) {
            return;
        }
        open.lastFrameNanos = System.nanoTime();
        AtomicInteger pending = open.pending;
        if (pending.incrementAndGet() > MAX_PENDING_SENDS) {
            close(session, CloseReason.CloseCodes.TRY_AGAIN_LATER, "client too slow");
            return;
        }
        try {
            // see ContextProviderScanShield: the send may still capture context on Payara's executors
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
