package io.sipgw.media;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * An immutable bencode byte string. Bencode strings are bytes, not text: rtpengine sends SDP, call ids
 * and tags as they were given, so a decoded string keeps its bytes and is read as UTF-8 only on request.
 */
public final class ByteString implements Comparable<ByteString> {

    private final byte[] bytes;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}. */
    public static ByteString of(byte[] bytes) {
        return new ByteString(bytes.clone());
    }

    /** The UTF-8 bytes of {@code text}. */
    public static ByteString utf8(String text) {
        return new ByteString(text.getBytes(StandardCharsets.UTF_8));
    }

    static ByteString wrap(byte[] bytes) {
        return new ByteString(bytes);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes read as UTF-8, if they are valid UTF-8. */
    public Optional<String> text() {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Bencode's key order: bytes compared as unsigned numbers, a prefix first. */
    @Override
    public int compareTo(ByteString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteString that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The text if it is UTF-8, else the bytes in hex; for logs and messages. */
    @Override
    public String toString() {
        return text().orElseGet(() -> {
            StringBuilder hex = new StringBuilder("0x");
            for (byte b : bytes) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        });
    }
}
