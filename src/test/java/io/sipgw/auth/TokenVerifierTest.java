package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sipgw.api.ErrorCode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token rules the WebSocket handshake and the 401 page apply, without a container. */
class TokenVerifierTest {

    private static KeyPair ours;
    private static KeyPair theirs;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        ours = generator.generateKeyPair();
        theirs = generator.generateKeyPair();
    }

    private static JWTClaimsSet.Builder claims(Instant expiresAt) {
        return new JWTClaimsSet.Builder().issuer("sipgw").subject("alice@127.0.0.1").claim("upn", "alice@127.0.0.1")
                .claim("groups", List.of("user")).jwtID("j-1").expirationTime(Date.from(expiresAt));
    }

    private static String sign(JWTClaimsSet claims, KeyPair keys) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(keys.getPrivate()));
        return jwt.serialize();
    }

    private static ErrorCode classify(String token) {
        return TokenVerifier.classify(token, "sipgw", (RSAPublicKey) ours.getPublic());
    }

    @Test
    void genuineUnexpiredTokenPasses() throws Exception {
        assertNull(classify(sign(claims(Instant.now().plusSeconds(60)).build(), ours)));
    }

    @Test
    void genuineExpiredTokenIsTokenExpired() throws Exception {
        assertEquals(ErrorCode.TOKEN_EXPIRED, classify(sign(claims(Instant.now().minusSeconds(1)).build(), ours)));
    }

    @Test
    void foreignSignatureIsInvalid() throws Exception {
        assertEquals(ErrorCode.INVALID_TOKEN, classify(sign(claims(Instant.now().plusSeconds(60)).build(), theirs)));
    }

    @Test
    void expiredForeignTokenIsInvalidNotExpired() throws Exception {
        assertEquals(ErrorCode.INVALID_TOKEN, classify(sign(claims(Instant.now().minusSeconds(60)).build(), theirs)));
    }

    @Test
    void unsignedTokenIsInvalid() {
        assertEquals(ErrorCode.INVALID_TOKEN, classify(new PlainJWT(claims(Instant.now().plusSeconds(60)).build()).serialize()));
    }

    @Test
    void wrongIssuerIsInvalid() throws Exception {
        assertEquals(ErrorCode.INVALID_TOKEN, classify(sign(claims(Instant.now().plusSeconds(60)).issuer("other").build(), ours)));
    }

    @Test
    void tokenWithoutIdIsInvalid() throws Exception {
        assertEquals(ErrorCode.INVALID_TOKEN, classify(sign(claims(Instant.now().plusSeconds(60)).jwtID(null).build(), ours)));
    }

    @Test
    void garbageIsInvalid() {
        assertEquals(ErrorCode.INVALID_TOKEN, classify("a.b.c"));
        assertEquals(ErrorCode.INVALID_TOKEN, classify(null));
        assertEquals(ErrorCode.INVALID_TOKEN, classify(""));
    }
}
