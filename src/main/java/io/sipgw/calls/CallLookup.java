package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Map;
import java.util.Optional;

/**
 * A stored call read outside any transaction (like {@code users.UserLookup}): {@link CallStore} is a
 * stateless session bean whose every method is a JTA transaction, which a primary-key read from
 * EclipseLink's shared cache does not need. The call returned may be the shared cache's own copy: read it,
 * never change it (changes go through {@link CallStore#transition}).
 */
@ApplicationScoped
public class CallLookup {

    /** EclipseLink's {@code eclipselink.read-only} hint: the shared cache's object, no unit-of-work copy. */
    private static final Map<String, Object> READ_ONLY = Map.of("eclipselink.read-only", "true");

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    public Optional<Call> find(String callId) {
        return Optional.ofNullable(em.find(Call.class, callId, READ_ONLY));
    }

    /** The caller's own call, or NOT_FOUND (also for somebody else's call, so nothing leaks). */
    public Call findOwn(String ownerId, String callId) {
        Call call = em.find(Call.class, callId, READ_ONLY);
        if (call == null || !call.ownerId().equals(ownerId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, UserText.CALL_NOT_FOUND.text());
        }
        return call;
    }
}
