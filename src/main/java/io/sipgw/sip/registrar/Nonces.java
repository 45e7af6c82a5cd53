package io.sipgw.sip.registrar;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Digest nonces that need no memory until used: each one carries its issue time, a random part and an
 * HMAC under a key that lives as long as this server, so "issued by us, and when" is checked without a
 * table. After a successful authentication the highest nonce count seen per nonce is remembered until
 * the nonce expires, so a replayed request (same nonce, nc not higher) is refused.
 */
final class Nonces {

    /** What a nonce presented by a client turned out to be. */
    enum Freshness { FRESH, STALE, FOREIGN }

    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final Clock clock;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();
    private final SecretKeySpec key;
    private final Map<String, Long> highestCountByNonce = new ConcurrentHashMap<>();
    private volatile Instant nextSweep = Instant.MIN;

    Nonces(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    String issue() {
        ByteBuffer body = ByteBuffer.allocate(TIME_BYTES + RANDOM_BYTES);
        body.putLong(clock.millis());
        byte[] randomPart = new byte[RANDOM_BYTES];
        random.nextBytes(randomPart);
        body.put(randomPart);
        byte[] bytes = Arrays.copyOf(body.array(), TIME_BYTES + RANDOM_BYTES + MAC_BYTES);
        System.arraycopy(mac(body.array()), 0, bytes, TIME_BYTES + RANDOM_BYTES, MAC_BYTES);
        return ENCODER.encodeToString(bytes);
    }

    Freshness check(String nonce) {
        Instant issuedAt = issuedAt(nonce);
        if (issuedAt == null) {
            return Freshness.FOREIGN;
        }
        return clock.instant().isBefore(issuedAt.plus(lifetime)) ? Freshness.FRESH : Freshness.STALE;
    }

    /**
     * Records {@code nonceCount} for a fresh nonce after a successful authentication.
     *
     * @return false if that count (or a higher one) was already used with this nonce: a replay
     */
    boolean acceptCount(String nonce, long nonceCount) {
        sweepIfDue();
        boolean[] accepted = {false};
        highestCountByNonce.compute(nonce, (n, highest) -> {
            accepted[0] = highest == null || nonceCount > highest;
            return accepted[0] ? nonceCount : highest;
        });
        return accepted[0];
    }

    /** Forgets the counts of expired nonces, at most once a second (each check costs an HMAC). */
    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plusSeconds(1);
        highestCountByNonce.keySet().removeIf(n -> check(n) != Freshness.FRESH);
    }

    /** When {@code nonce} was issued, or null if this server did not issue it. */
    private Instant issuedAt(String nonce) {
        byte[] bytes;
        try {
            bytes = DECODER.decode(nonce);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length != TIME_BYTES + RANDOM_BYTES + MAC_BYTES) {
            return null;
        }
        byte[] body = Arrays.copyOf(bytes, TIME_BYTES + RANDOM_BYTES);
        byte[] presentedMac = Arrays.copyOfRange(bytes, TIME_BYTES + RANDOM_BYTES, bytes.length);
        if (!MessageDigest.isEqual(presentedMac, Arrays.copyOf(mac(body), MAC_BYTES))) {
            return null;
        }
        return Instant.ofEpochMilli(ByteBuffer.wrap(body).getLong());
    }

    private byte[] mac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
