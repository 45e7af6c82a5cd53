package io.sipgw.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Verifies a token where the container does not (the WebSocket handshake) with the same rules as the
 * REST API: RS256 signature by our key, issuer, expiry, subject and not revoked by logout.
 */
@ApplicationScoped
public class TokenVerifier {

    @Inject
    @ConfigProperty(name = "sipgw.jwt.issuer")
    String issuer;

    @Inject
    TokenRevocations revocations;

    /** A token that passed every check. */
    public record VerifiedToken(String userId, String jti, Instant expiresAt) {
    }

    /**
     * @throws ApiException INVALID_TOKEN or TOKEN_EXPIRED
     */
    public VerifiedToken verify(String token) {
        ErrorCode problem = classify(token, issuer, TokenKeys.get().publicKey());
        if (problem != null) {
            throw new ApiException(problem, problem == ErrorCode.TOKEN_EXPIRED ? "Token 已过期，请重新登录" : "无效的 Token");
        }
        try {
            JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
            if (revocations.isRevoked(claims.getJWTID())) {
                throw new ApiException(ErrorCode.INVALID_TOKEN, "Token 已注销，请重新登录");
            }
            return new VerifiedToken(claims.getStringClaim("upn"), claims.getJWTID(), claims.getExpirationTime().toInstant());
        } catch (java.text.ParseException e) {
            throw new ApiException(ErrorCode.INVALID_TOKEN, "无效的 Token");
        }
    }

    /**
     * Why a token is not acceptable, or null when its signature, issuer, expiry and claims are good.
     * Revocation is not checked here.
     */
    static ErrorCode classify(String token, String expectedIssuer, java.security.interfaces.RSAPublicKey key) {
        if (token == null || token.isBlank()) {
            return ErrorCode.INVALID_TOKEN;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.trim());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier(key))) {
                return ErrorCode.INVALID_TOKEN;
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            if (expectedIssuer != null && !expectedIssuer.equals(claims.getIssuer())) {
                return ErrorCode.INVALID_TOKEN;
            }
            Date exp = claims.getExpirationTime();
            if (exp == null || claims.getStringClaim("upn") == null || claims.getJWTID() == null) {
                return ErrorCode.INVALID_TOKEN;
            }
            return exp.before(new Date()) ? ErrorCode.TOKEN_EXPIRED : null;
        } catch (Exception e) {
            return ErrorCode.INVALID_TOKEN;
        }
    }
}
