package io.sipgw.users;

import io.sipgw.jpa.SharedCacheReads;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * A directory entry read outside any transaction ({@link SharedCacheReads}), for requests that only show it
 * (the caller's profile, a user's details, the caller shown to a callee). The entity returned may be the
 * shared cache's own copy: read it, never change it (changes go through {@link UserDirectory}).
 */
@ApplicationScoped
public class UserLookup {

    @Inject
    SharedCacheReads reads;

    public Optional<User> find(String userId) {
        return reads.find(User.class, userId);
    }
}
