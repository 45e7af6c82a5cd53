package io.sipgw.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one token check, for the REST API ({@link TokenFilter}) and the WebSocket handshake: RS256
 * signature by our key, issuer, expiry, subject and token id, and not revoked by logout.
 *
 * <p>The signature of a token is verified once: a good token is kept in a bounded cache (Caffeine,
 * {@code sipgw.jwt.cache-size} entries, least recently used evicted first) until its {@code exp}, so its
 * next requests cost a hash lookup instead of an RSA verification. The cache holds only tokens that
 * passed every check; revocation is looked up on every request, so a logged-out token is refused at once.
 */
@ApplicationScoped
public class TokenVerifier {

    @Inject
    @ConfigProperty(name = "sipgw.jwt.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "sipgw.jwt.cache-size")
    long cacheSize;

    @Inject
    RevokedTokenIds revoked;

    private Checks checks;

    @PostConstruct
    void init() {
        checks = new Checks(issuer, TokenKeys.get().publicKey(), cacheSize, Clock.systemUTC(), Ticker.systemTicker());
    }

    /**
     * @return the verified token, never null
     * @throws ApiException INVALID_TOKEN (missing, malformed, forged, revoked) or TOKEN_EXPIRED
     */
    public CallerToken verify(String token) {
        CallerToken verified = checks.verify(token);
        if (revoked.contains(verified.getTokenID())) {
            throw new ApiException(ErrorCode.INVALID_TOKEN, UserText.TOKEN_REVOKED.text());
        }
        return verified;
    }

    /**
     * Why a token is not acceptable, or null when its signature, issuer, expiry and claims are good.
     * Revocation is not checked here. Uncached; for tests of the rules.
     */
    static ErrorCode classify(String token, String expectedIssuer, RSAPublicKey key) {
        try {
            new Checks(expectedIssuer, key, 1, Clock.systemUTC(), Ticker.systemTicker()).verify(token);
            return null;
        } catch (ApiException e) {
            return e.code();
        }
    }

    /** The checks and the cache of their results, apart from CDI and revocation. */
    static final class Checks {

        private final String expectedIssuer;
        private final JWSVerifier verifier;
        private final Clock clock;
        private final Cache<String, CallerToken> verified;

        Checks(String expectedIssuer, RSAPublicKey key, long maxSize, Clock clock, Ticker ticker) {
            this.expectedIssuer = expectedIssuer;
            this.verifier = new RSASSAVerifier(key);
            this.clock = clock;
            this.verified = Caffeine.newBuilder()
                    .maximumSize(maxSize)
                    .expireAfter(Expiry.<String, CallerToken>creating((token, caller) -> untilExpiry(caller)))
                    .ticker(ticker)
                    .executor(Runnable::run)
                    .build();
        }

        CallerToken verify(String token) {
            if (token == null || token.isBlank()) {
                throw invalid();
            }
            String raw = token.trim();
            CallerToken caller = verified.getIfPresent(raw);
            if (caller == null) {
                caller = check(raw);
                if (!untilExpiry(caller).isNegative()) {
                    verified.put(raw, caller);
                }
            }
            if (clock.instant().isAfter(caller.expiresAt())) {
                throw new ApiException(ErrorCode.TOKEN_EXPIRED, UserText.TOKEN_EXPIRED_LOGIN_AGAIN.text());
            }
            return caller;
        }

        long size() {
            verified.cleanUp();
            return verified.estimatedSize();
        }

        private Duration untilExpiry(CallerToken caller) {
            return Duration.between(clock.instant(), caller.expiresAt());
        }

        /** Signature first: nothing of an unsigned or forged token is believed, not even its exp. */
        private CallerToken check(String raw) {
            try {
                SignedJWT jwt = SignedJWT.parse(raw);
                if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                    throw invalid();
                }
                JWTClaimsSet claims = jwt.getJWTClaimsSet();
                if (expectedIssuer != null && !expectedIssuer.equals(claims.getIssuer())) {
                    throw invalid();
                }
                Date exp = claims.getExpirationTime();
                if (exp == null || claims.getStringClaim("upn") == null || claims.getJWTID() == null) {
                    throw invalid();
                }
                return CallerToken.of(raw, claims);
            } catch (ApiException e) {
                throw e;
            } catch (Exception e) {
                throw invalid();
            }
        }

        private static ApiException invalid() {
            return new ApiException(ErrorCode.INVALID_TOKEN, UserText.TOKEN_INVALID.text());
        }
    }
}
