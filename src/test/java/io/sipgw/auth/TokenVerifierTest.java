package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The token rules of the REST API and the WebSocket handshake, and the cache of verified tokens, without a container. */
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

    @Test
    void tokenSignedWithAnHmacOfThePublicKeyIsInvalid() throws Exception {
        // the classic algorithm confusion: HS256 keyed with the (public) RSA key
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims(Instant.now().plusSeconds(60)).build());
        jwt.sign(new MACSigner(java.util.Arrays.copyOf(ours.getPublic().getEncoded(), 64)));
        assertEquals(ErrorCode.INVALID_TOKEN, classify(jwt.serialize()));
    }

    /** A clock and a cache ticker that only move when the test says so. */
    private static final class TestTime extends Clock implements Ticker {
        private final AtomicLong nanos = new AtomicLong(Instant.now().getEpochSecond() * 1_000_000_000L);

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        @Override
        public long read() {
            return nanos.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochSecond(0, nanos.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aGoodTokenIsVerifiedOnceAndServedFromTheCache() throws Exception {
        TestTime time = new TestTime();
        var checks = new TokenVerifier.Checks("sipgw", (RSAPublicKey) ours.getPublic(), 100, time, time);
        String token = sign(claims(time.instant().plusSeconds(60)).build(), ours);
        CallerToken first = checks.verify(token);
        assertEquals("alice@127.0.0.1", first.getName());
        assertEquals(Set.of("user"), first.getGroups());
        assertEquals("j-1", first.getTokenID());
        assertSame(first, checks.verify(token), "the second request is answered from the cache");
        assertSame(first, checks.verify(" " + token + " "));
        assertEquals(1, checks.size());
    }

    @Test
    void aCachedTokenIsExpiredAtItsExpAndLeavesTheCache() throws Exception {
        TestTime time = new TestTime();
        var checks = new TokenVerifier.Checks("sipgw", (RSAPublicKey) ours.getPublic(), 100, time, time);
        String token = sign(claims(time.instant().plusSeconds(60)).build(), ours);
        checks.verify(token);
        time.advance(Duration.ofSeconds(59));
        assertEquals("alice@127.0.0.1", checks.verify(token).getName());
        time.advance(Duration.ofSeconds(2));
        ApiException e = assertThrows(ApiException.class, () -> checks.verify(token));
        assertEquals(ErrorCode.TOKEN_EXPIRED, e.code());
        assertEquals(0, checks.size(), "no entry outlives its token");
    }

    @Test
    void theCacheIsBounded() throws Exception {
        TestTime time = new TestTime();
        var checks = new TokenVerifier.Checks("sipgw", (RSAPublicKey) ours.getPublic(), 3, time, time);
        for (int i = 0; i < 10; i++) {
            checks.verify(sign(claims(time.instant().plusSeconds(60)).jwtID("j-" + i).build(), ours));
        }
        assertTrue(checks.size() <= 3, "size " + checks.size());
    }

    @Test
    void rejectedTokensAreNotCached() throws Exception {
        TestTime time = new TestTime();
        var checks = new TokenVerifier.Checks("sipgw", (RSAPublicKey) ours.getPublic(), 100, time, time);
        String foreign = sign(claims(time.instant().plusSeconds(60)).build(), theirs);
        for (int i = 0; i < 2; i++) {
            assertEquals(ErrorCode.INVALID_TOKEN, assertThrows(ApiException.class, () -> checks.verify(foreign)).code());
        }
        String expired = sign(claims(time.instant().minusSeconds(1)).build(), ours);
        assertEquals(ErrorCode.TOKEN_EXPIRED, assertThrows(ApiException.class, () -> checks.verify(expired)).code());
        assertEquals(0, checks.size());
    }
}
