package io.sipgw.sip;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * HTTP digest authentication as SIP uses it (RFC 2617, RFC 3261 section 22.4), algorithm MD5.
 *
 * <p>Pure functions over strings: the registrar verifies with them and the user agent answers challenges
 * with them. Only HA1 = MD5(user:realm:password) is ever stored, never a password.
 */
public final class Digest {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Digest() {
    }

    /** The lowercase hex MD5 of the UTF-8 bytes of {@code text}. */
    public static String md5Hex(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    /** HA1 = MD5(user:realm:password); in SIP the realm is usually the domain. */
    public static String ha1(String user, String realm, String password) {
        return md5Hex(user + ":" + realm + ":" + password);
    }

    /**
     * The request-digest a client sends in {@code response=}.
     *
     * @param qop {@code null} or empty for the RFC 2069 form {@code MD5(HA1:nonce:HA2)}; {@code "auth"} for
     *            {@code MD5(HA1:nonce:nc:cnonce:qop:HA2)}, where {@code nc} and {@code cnonce} are required
     * @throws IllegalArgumentException for a qop other than {@code auth} (auth-int is not supported)
     */
    public static String response(String ha1, String method, String digestUri, String nonce, String nc,
            String cnonce, String qop) {
        String ha2 = md5Hex(method + ":" + digestUri);
        if (qop == null || qop.isEmpty()) {
            return md5Hex(ha1 + ":" + nonce + ":" + ha2);
        }
        if (!qop.equalsIgnoreCase("auth")) {
            throw new IllegalArgumentException("unsupported qop " + qop);
        }
        if (nc == null || cnonce == null) {
            throw new IllegalArgumentException("qop=auth needs nc and cnonce");
        }
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** Compares two digests in time independent of where they differ. */
    public static boolean matches(String expected, String actual) {
        if (actual == null) {
            return false;
        }
        byte[] actualBytes = actual.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actualBytes);
    }

    /** A fresh random client nonce (16 hex digits). */
    public static String newCnonce() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
