package io.sipgw.auth;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked token ids: stored in the database (so a restart does not bring a logged-out token back) and
 * mirrored in memory for the check on every request.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TokenRevocations {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    @PostConstruct
    void load() {
        purge();
        em.createQuery("SELECT r FROM RevokedToken r", RevokedToken.class)
                .getResultStream()
                .forEach(r -> revoked.put(r.jti(), r.expiresAt()));
    }

    public boolean isRevoked(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    public void revoke(String jti, String userId, Instant expiresAt) {
        if (revoked.putIfAbsent(jti, expiresAt) == null) {
            em.persist(new RevokedToken(jti, userId, expiresAt));
        }
    }

    /** Forgets revocations of tokens that have expired anyway. */
    @Schedule(hour = "*", minute = "17", persistent = false)
    void purge() {
        Instant now = Instant.now();
        revoked.values().removeIf(exp -> exp.isBefore(now));
        em.createQuery("DELETE FROM RevokedToken r WHERE r.expiresAt < :now").setParameter("now", now).executeUpdate();
    }
}
