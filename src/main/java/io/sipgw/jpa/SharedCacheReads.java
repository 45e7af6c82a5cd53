package io.sipgw.jpa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import java.util.Map;
import java.util.Optional;

/**
 * Primary-key reads outside any transaction, for what only shows or checks an entity (the caller's profile, a
 * user's details, a call's state before an answer): a stateless session bean would wrap each in an EJB
 * invocation and a JTA transaction, which a read from EclipseLink's shared cache does not need (about 8 % of
 * an authenticated request in the profile of issue 15).
 *
 * <p>Each read gets an entity manager of its own, closed at once. The container's transaction-scoped entity
 * manager must not be used for this: outside a transaction Payara keeps one entity manager per component
 * invocation, and the gateway's worker threads (made once by a {@code ManagedThreadFactory}) share one
 * invocation for their whole life, so concurrent reads on them shared one entity manager, which is not thread
 * safe, and failed with "Attempting to execute an operation on a closed EntityManager" (the calls benchmark
 * with ten calls ringing at once, 2026-12-06).
 *
 * <p>The entity returned may be the shared cache's own object ({@code eclipselink.read-only}: no copy is
 * registered in a unit of work, which was another 5 % of the request): read it, never change it.
 */
@ApplicationScoped
public class SharedCacheReads {

    private static final Map<String, Object> READ_ONLY = Map.of("eclipselink.read-only", "true");

    @PersistenceUnit(unitName = "sipgw")
    EntityManagerFactory factory;

    public <T> Optional<T> find(Class<T> type, Object id) {
        EntityManager em = factory.createEntityManager();
        try {
            return Optional.ofNullable(em.find(type, id, READ_ONLY));
        } finally {
            em.close();
        }
    }
}
