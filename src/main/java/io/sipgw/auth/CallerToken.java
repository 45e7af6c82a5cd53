package io.sipgw.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A token whose signature, issuer and claims have been verified, as the MicroProfile JWT
 * {@link JsonWebToken} the resources inject. Immutable: built once per token and kept in the
 * {@link TokenVerifier}'s cache until the token expires. The name is {@code upn} (then
 * {@code preferred_username}, then {@code sub}), as MP-JWT defines it; time claims are seconds since the
 * epoch ({@code Long}), {@code groups} and {@code aud} are sets of strings, other claims keep the JOSE
 * library's types (our tokens carry only the standard claims).
 */
public final class CallerToken implements JsonWebToken {

    /** The caller of a request that carried no verified token. */
    static final CallerToken NONE = new CallerToken(null, Map.of());

    private final String name;
    private final Map<String, Object> claims;

    private CallerToken(String name, Map<String, Object> claims) {
        this.name = name;
        this.claims = claims;
    }

    static CallerToken of(String rawToken, JWTClaimsSet set) {
        Map<String, Object> claims = new HashMap<>();
        set.getClaims().forEach((claim, value) -> {
            if (value != null) {
                claims.put(claim, convert(claim, value));
            }
        });
        claims.put(Claims.raw_token.name(), rawToken);
        Object name = claims.getOrDefault(Claims.upn.name(),
                claims.getOrDefault(Claims.preferred_username.name(), claims.get(Claims.sub.name())));
        return new CallerToken(name instanceof String s ? s : null, Map.copyOf(claims));
    }

    private static Object convert(String claim, Object value) {
        if (value instanceof Date date) {
            return date.getTime() / 1000;
        }
        if ((claim.equals(Claims.groups.name()) || claim.equals(Claims.aud.name()))) {
            Collection<?> values = value instanceof Collection<?> c ? c : List.of(value);
            Set<String> strings = new LinkedHashSet<>();
            values.forEach(v -> strings.add(String.valueOf(v)));
            return Set.copyOf(strings);
        }
        return value;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Set<String> getClaimNames() {
        return claims.keySet();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getClaim(String claimName) {
        return (T) claims.get(claimName);
    }

    /** The token's groups (roles), empty when it has none. */
    public Set<String> groups() {
        Set<String> groups = getGroups();
        return groups == null ? Set.of() : groups;
    }

    /** When the token expires (its {@code exp}). */
    public Instant expiresAt() {
        Long exp = getClaim(Claims.exp.name());
        return exp == null ? Instant.EPOCH : Instant.ofEpochSecond(exp);
    }

    @Override
    public String toString() {
        return "CallerToken[" + name + ", jti=" + getTokenID() + "]";
    }
}
