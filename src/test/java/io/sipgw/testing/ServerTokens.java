package io.sipgw.testing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Tokens signed with the test server's own key (the pair it generated into {@code it.data.dir}), with the
 * lifetime a test needs: the server accepts them like the ones it issues. The key exists once the server
 * has issued its first token (log someone in first).
 */
public final class ServerTokens {

    private ServerTokens() {
    }

    /** A user token of {@code userId} that expires at {@code expiresAt}. */
    public static String sign(String userId, Instant expiresAt) {
        try {
            Path keyFile = Path.of(System.getProperty("it.data.dir"), "keys", "jwt-private.pem");
            String pem = Files.readString(keyFile).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            var key = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer("sipgw")
                    .subject(userId)
                    .claim("upn", userId)
                    .claim("groups", List.of("user"))
                    .jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(Instant.now()))
                    .expirationTime(Date.from(expiresAt))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign a token with the server's key", e);
        }
    }
}
