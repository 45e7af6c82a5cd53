package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.jpa.SharedCacheReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * A stored call read outside any transaction ({@link SharedCacheReads}): {@link CallStore} is a stateless
 * session bean whose every method is a JTA transaction, which a primary-key read from EclipseLink's shared
 * cache does not need. The call returned may be the shared cache's own copy: read it, never change it
 * (changes go through {@link CallStore#transition}).
 */
@ApplicationScoped
public class CallLookup {

    @Inject
    SharedCacheReads reads;

    public Optional<Call> find(String callId) {
        return reads.find(Call.class, callId);
    }

    /** The caller's own call, or NOT_FOUND (also for somebody else's call, so nothing leaks). */
    public Call findOwn(String ownerId, String callId) {
        Call call = find(callId).orElse(null);
        if (call == null || !call.ownerId().equals(ownerId)) {
            throw new ApiException(ErrorCode.NOT_FOUND, UserText.CALL_NOT_FOUND.text());
        }
        return call;
    }
}
