package io.sipgw.auth;

import io.sipgw.cluster.Cluster;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Revoked token ids: stored in the database (so a restart does not bring a logged-out token back) and
 * mirrored in memory ({@link RevokedTokenIds}) for the check on every request. In a cluster every revocation is also published on the
 * topic {@value #TOPIC}, so the other members refuse the token as soon as the message arrives (milliseconds);
 * a member that starts later reads the revocations from the database.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TokenRevocations {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    /** The cluster topic of revocations: {@code [jti, expiresAt]}. */
    static final String TOPIC = "sipgw.revoked-tokens";
    private static final Logger LOG = Logger.getLogger(TokenRevocations.class.getName());

    @Inject
    Cluster cluster;

    @Inject
    RevokedTokenIds revoked;

    @PostConstruct
    void load() {
        // first listen, then read the table: a revocation made meanwhile is seen one way or the other
        cluster.subscribe(TOPIC, this::revokedElsewhere);
        if (cluster.enabled()) {
            TokenKeys.get(); // a member without the cluster's configured keys fails to start, not at its first login
        }
        purge();
        em.createQuery("SELECT r FROM RevokedToken r", RevokedToken.class)
                .getResultStream()
                .forEach(r -> revoked.add(r.jti(), r.expiresAt()));
    }

    public void revoke(String jti, String userId, Instant expiresAt) {
        if (revoked.add(jti, expiresAt)) {
            em.persist(new RevokedToken(jti, userId, expiresAt));
            cluster.publish(TOPIC, jti, expiresAt.toString());
        }
    }

    /** Another member revoked a token (and stored it): memory only. */
    private void revokedElsewhere(List<String> message) {
        try {
            revoked.add(message.get(0), Instant.parse(message.get(1)));
        } catch (RuntimeException e) {
            LOG.warning(() -> "Ignored a malformed message on cluster topic " + TOPIC);
        }
    }

    /** Forgets revocations of tokens that have expired anyway. */
    @Schedule(hour = "*", minute = "17", persistent = false)
    void purge() {
        Instant now = Instant.now();
        revoked.removeExpiredBefore(now);
        em.createQuery("DELETE FROM RevokedToken r WHERE r.expiresAt < :now").setParameter("now", now).executeUpdate();
    }
}
