package io.sipgw.auth;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens each user holds on this instance (several tabs or devices share one SIP registration):
 * the registration ends when the last of them is logged out.
 */
@ApplicationScoped
public class LiveSessions {

    private final Map<String, Map<String, Instant>> byUser = new ConcurrentHashMap<>();

    public void add(String userId, String jti, Instant expiresAt) {
        byUser.computeIfAbsent(userId, u -> new ConcurrentHashMap<>()).put(jti, expiresAt);
    }

    /** Whether the token's session is held here. */
    public boolean holds(String userId, String jti) {
        Map<String, Instant> tokens = byUser.get(userId);
        return tokens != null && tokens.containsKey(jti);
    }

    /** The user's tokens on this instance (token id -> expiry), a copy. */
    public Map<String, Instant> tokens(String userId) {
        Map<String, Instant> tokens = byUser.get(userId);
        return tokens == null ? Map.of() : Map.copyOf(tokens);
    }

    /**
     * Ends one token's session.
     *
     * @return true when the user holds no other unexpired token
     */
    public boolean end(String userId, String jti) {
        boolean[] last = {true};
        byUser.computeIfPresent(userId, (u, tokens) -> {
            tokens.remove(jti);
            Instant now = Instant.now();
            tokens.values().removeIf(exp -> exp.isBefore(now));
            last[0] = tokens.isEmpty();
            return tokens.isEmpty() ? null : tokens;
        });
        return last[0];
    }
}
