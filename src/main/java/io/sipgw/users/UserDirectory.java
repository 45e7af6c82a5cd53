package io.sipgw.users;

import io.sipgw.sip.RegistrationEnded;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The directory of users and their presence, kept in the database. */
@Stateless
public class UserDirectory {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

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
        user.loggedIn(sipUri, Instant.now());
        return user;
    }

    public void wentOffline(String userId) {
        User user = em.find(User.class, userId);
        if (user != null) {
            user.wentOffline(Instant.now());
        }
    }

    public void changeStatus(String userId, UserStatus status, String message) {
        User user = em.find(User.class, userId);
        if (user == null) {
            throw new IllegalStateException("No directory entry for " + userId);
        }
        user.changeStatus(status, message, Instant.now());
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
