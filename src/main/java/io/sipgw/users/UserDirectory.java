package io.sipgw.users;

import io.sipgw.sip.RegistrationEnded;
import io.sipgw.sip.registrar.EmbeddedSipServer;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The directory of users and their presence, kept in the database. Every real presence change fires
 * {@link PresenceChanged}, delivered to the other users after the change commits.
 */
@Stateless
public class UserDirectory {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    @Inject
    Event<PresenceChanged> presenceChanged;

    @Inject
    EmbeddedSipServer embedded;

    /** A page of the directory, ordered by userId: {@code status} null means every status. */
    public List<User> page(UserStatus status, String search, int offset, int limit) {
        return where(em.createQuery("SELECT u FROM User u" + conditions(status, search) + " ORDER BY u.userId", User.class),
                status, search)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    /** How many entries {@link #page} chooses from. */
    public long count(UserStatus status, String search) {
        return where(em.createQuery("SELECT COUNT(u) FROM User u" + conditions(status, search), Long.class), status, search)
                .getSingleResult();
    }

    /** Users whose status is anything but OFFLINE. */
    public long countPresent() {
        return em.createQuery("SELECT COUNT(u) FROM User u WHERE u.status <> :offline", Long.class)
                .setParameter("offline", UserStatus.OFFLINE)
                .getSingleResult();
    }

    private static String conditions(UserStatus status, String search) {
        StringBuilder where = new StringBuilder();
        if (status != null) {
            where.append(" WHERE u.status = :status");
        }
        if (search != null) {
            where.append(status == null ? " WHERE " : " AND ")
                    .append("(LOWER(u.userId) LIKE :pattern ESCAPE '\\' OR LOWER(u.displayName) LIKE :pattern ESCAPE '\\'")
                    .append(" OR LOWER(u.sipUri) LIKE :pattern ESCAPE '\\')");
        }
        return where.toString();
    }

    private static <Q extends jakarta.persistence.TypedQuery<?>> Q where(Q query, UserStatus status, String search) {
        if (status != null) {
            query.setParameter("status", status);
        }
        if (search != null) {
            String escaped = search.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            query.setParameter("pattern", "%" + escaped + "%");
        }
        return query;
    }

    public Optional<User> find(String userId) {
        return Optional.ofNullable(em.find(User.class, userId));
    }

    /** The directory entries of the given userIds that exist, by userId. */
    public Map<String, User> findAll(Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("SELECT u FROM User u WHERE u.userId IN :ids", User.class)
                .setParameter("ids", userIds)
                .getResultStream()
                .collect(Collectors.toMap(User::userId, u -> u));
    }

    /** Records a login: creates the directory entry on a user's first login. */
    public User loggedIn(String userId, String sipUri, String defaultDisplayName) {
        User user = em.find(User.class, userId);
        if (user == null) {
            user = new User(userId, sipUri, defaultDisplayName);
            em.persist(user);
        }
        user.loggedIn(sipUri, Instant.now()).ifPresent(presenceChanged::fire);
        return user;
    }

    /**
     * The user's last API session ended (logout, lapsed registration): OFFLINE, unless a SIP phone of theirs
     * is still registered at the embedded SIP server.
     */
    public void wentOffline(String userId) {
        User user = em.find(User.class, userId);
        if (user != null) {
            Instant now = Instant.now();
            (embedded.hasPhone(userId) ? user.phoneRegistered(now) : user.wentOffline(now)).ifPresent(presenceChanged::fire);
        }
    }

    /**
     * A user's SIP phones at the embedded SIP server changed: with one registered the user is at least
     * ONLINE; with none left and no API session ({@code apiSession}) the user is OFFLINE.
     */
    public void phonesChanged(String userId, boolean phoneRegistered, boolean apiSession) {
        User user = em.find(User.class, userId);
        if (user == null) {
            return;
        }
        Instant now = Instant.now();
        if (phoneRegistered) {
            user.phoneRegistered(now).ifPresent(presenceChanged::fire);
        } else if (!apiSession) {
            user.wentOffline(now).ifPresent(presenceChanged::fire);
        }
    }

    public void changeStatus(String userId, UserStatus status, String message) {
        User user = em.find(User.class, userId);
        if (user == null) {
            throw new IllegalStateException("No directory entry for " + userId);
        }
        user.changeStatus(status, message, Instant.now()).ifPresent(presenceChanged::fire);
    }

    /** Adds a provisioned account, or refreshes its contact data; presence is left as it is. */
    public void provision(String userId, String sipUri, String displayName, String email, String phone) {
        User user = em.find(User.class, userId);
        if (user == null) {
            user = new User(userId, sipUri, displayName);
            em.persist(user);
        }
        user.provision(displayName, email, phone);
    }

    public void registrationEnded(@Observes RegistrationEnded event) {
        wentOffline(event.userId());
    }
}
