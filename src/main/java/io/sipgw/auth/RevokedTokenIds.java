package io.sipgw.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of revoked tokens that have not expired yet, in memory, looked up by every authenticated request
 * ({@link TokenVerifier}). {@link TokenRevocations} fills it from the database at start, from logouts here
 * and from other cluster members, and purges it. A plain CDI bean, because the lookup through a session
 * bean cost the EJB container's invocation path and a JTA transaction: 6 % of an authenticated request in
 * the profile of issue 15, for one hash lookup.
 */
@ApplicationScoped
public class RevokedTokenIds {

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

    public boolean contains(String jti) {
        return jti != null && revoked.containsKey(jti);
    }

    /** @return whether the id was not there yet */
    boolean add(String jti, Instant expiresAt) {
        return revoked.putIfAbsent(jti, expiresAt) == null;
    }

    void removeExpiredBefore(Instant now) {
        revoked.values().removeIf(exp -> exp.isBefore(now));
    }
}
