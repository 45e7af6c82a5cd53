package io.sipgw.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues the RS256 tokens that MicroProfile JWT verifies: {@code upn} = userId, {@code groups} =
 * user (+ admin for the configured admins), a unique {@code jti} for revocation, {@code exp}.
 */
@ApplicationScoped
public class TokenIssuer {

    @Inject
    @ConfigProperty(name = "sipgw.jwt.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "sipgw.jwt.lifetime-seconds")
    long lifetimeSeconds;

    @Inject
    @ConfigProperty(name = "sipgw.admins")
    List<String> admins;

    public IssuedToken issue(String userId) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expiresAt = now.plusSeconds(lifetimeSeconds);
        String jti = UUID.randomUUID().toString();
        List<String> groups = new ArrayList<>(List.of("user"));
        if (isAdmin(userId)) {
            groups.add("admin");
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(userId)
                .claim("upn", userId)
                .claim("groups", groups)
                .jwtID(jti)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(TokenKeys.get().privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
        return new IssuedToken(jwt.serialize(), jti, expiresAt, lifetimeSeconds);
    }

    public boolean isAdmin(String userId) {
        return admins.stream().map(String::trim).anyMatch(userId::equalsIgnoreCase);
    }
}
