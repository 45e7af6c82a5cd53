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
 * table. After a successful authentication the nonce counts seen per nonce are remembered until the nonce
 * expires, so a replayed request (same nonce, same nc) is refused. A client that reuses a nonce for
 * several requests at once (RFC 7616 section 3.4: the gateway does for a user's concurrent MESSAGEs) sends
 * them with growing counts that may arrive out of order, so counts are kept as a window, like IPsec's
 * anti-replay window (RFC 4303 section 3.4.3): any count not seen yet within {@value #WINDOW} of the
 * highest is accepted; older ones and repeats are refused.
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
    /** How far below the highest count a late count is still accepted once. */
    static final int WINDOW = 64;

    /** The highest count seen and a bit per count below it (bit i: highest - 1 - i was seen). */
    private record Seen(long highest, long below) {
    }

    private final Map<String, Seen> seenByNonce = new ConcurrentHashMap<>();
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
     * @return false if that count was already used with this nonce (a replay), or is more than
     *         {@value #WINDOW} below the highest count seen
     */
    boolean acceptCount(String nonce, long nonceCount) {
        sweepIfDue();
        boolean[] accepted = {false};
        seenByNonce.compute(nonce, (n, seen) -> {
            if (seen == null) {
                accepted[0] = true;
                return new Seen(nonceCount, 0L);
            }
            if (nonceCount > seen.highest()) {
                long shift = nonceCount - seen.highest();
                // the old highest becomes bit shift-1; counts that fall out of the window are forgotten
                long below;
                if (shift > WINDOW) {
                    below = 0L;
                } else if (shift == WINDOW) {
                    below = 1L << (WINDOW - 1); // (a long shifted by 64 would not move at all)
                } else {
                    below = (seen.below() << shift) | (1L << (shift - 1));
                }
                accepted[0] = true;
                return new Seen(nonceCount, below);
            }
            long distance = seen.highest() - nonceCount; // 0 is the highest itself
            if (distance == 0 || distance > WINDOW) {
                return seen;
            }
            long bit = 1L << (distance - 1);
            if ((seen.below() & bit) != 0) {
                return seen;
            }
            accepted[0] = true;
            return new Seen(seen.highest(), seen.below() | bit);
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
        seenByNonce.keySet().removeIf(n -> check(n) != Freshness.FRESH);
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
