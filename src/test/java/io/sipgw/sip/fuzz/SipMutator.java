package io.sipgw.sip.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A seeded mutation fuzzer for SIP requests: takes a valid request and breaks it in the ways a hostile or
 * broken peer does (flipped bytes, duplicated and deleted headers, huge values, CR/LF injected into values,
 * truncated bodies, wrong Content-Length, bytes that are not UTF-8, empty tags). The same seed gives the
 * same sequence of messages, so a failure is replayed with its seed.
 */
public final class SipMutator {

    /** The mutations, for the record of what a message went through. */
    public enum Mutation {
        FLIP_BYTES, DUPLICATE_HEADER, DELETE_HEADER, HUGE_VALUE, INJECT_CRLF, TRUNCATE, WRONG_CONTENT_LENGTH,
        NOT_UTF8, EMPTY_TAG, SHUFFLE_HEADERS
    }

    /** A mutated message and what was done to it. */
    public record Mutant(byte[] bytes, List<Mutation> mutations) {
        /** The message on one line for a failure report: control bytes escaped, cut to 2,000 characters. */
        public String shown() {
            StringBuilder text = new StringBuilder();
            for (byte b : bytes) {
                int c = b & 0xff;
                if (text.length() > 2_000) {
                    text.append("... (").append(bytes.length).append(" bytes)");
                    break;
                }
                text.append(c == '\r' ? "\\r" : c == '\n' ? "\\n\n" : c < 0x20 || c > 0x7e ? String.format("\\x%02x", c) : String.valueOf((char) c));
            }
            return text.toString();
        }
    }

    private static final String[] INJECTIONS = {"\r\n", "\r", "\n", "\r\nVia: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKinjected",
        "\r\nContent-Length: 0\r\n\r\nINVITE sip:bob@127.0.0.1 SIP/2.0", "\r\n\r\n", "\u0000"};
    private static final String[] LENGTHS = {"-1", "0", "1", "99999999999999999999", "4294967296", "abc", "", " 12 ",
        "2147483647", "65536"};

    private final Random random;
    private final int maxMessage;

    /**
     * @param seed       the seed of everything this mutator does
     * @param maxMessage the largest message it makes (a UDP datagram holds at most 65,507 bytes)
     */
    public SipMutator(long seed, int maxMessage) {
        this.random = new Random(seed);
        this.maxMessage = maxMessage;
    }

    /** The random source, for choosing the message to mutate with the same seed. */
    public Random random() {
        return random;
    }

    /** {@code message} with one to three random mutations. */
    public Mutant mutate(byte[] message) {
        byte[] bytes = message;
        List<Mutation> applied = new ArrayList<>();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            Mutation mutation = Mutation.values()[random.nextInt(Mutation.values().length)];
            bytes = apply(mutation, bytes);
            applied.add(mutation);
        }
        if (bytes.length > maxMessage) {
            bytes = Arrays.copyOf(bytes, maxMessage);
        }
        return new Mutant(bytes, applied);
    }

    private byte[] apply(Mutation mutation, byte[] bytes) {
        return switch (mutation) {
            case FLIP_BYTES -> flipBytes(bytes);
            case DUPLICATE_HEADER -> withLines(bytes, lines -> {
                int i = headerLine(lines);
                if (i > 0) {
                    lines.add(i + random.nextInt(lines.size() - i), lines.get(i));
                }
            });
            case DELETE_HEADER -> withLines(bytes, lines -> {
                int i = headerLine(lines);
                if (i > 0) {
                    lines.remove(i);
                }
            });
            case HUGE_VALUE -> withLines(bytes, lines -> {
                int i = headerLine(lines);
                if (i > 0) {
                    String line = lines.get(i);
                    int colon = Math.max(line.indexOf(':'), 0);
                    int size = new int[] {256, 1_024, 8_192, 60_000}[random.nextInt(4)];
                    String filler = random.nextBoolean() ? "a".repeat(size) : ";p=x".repeat(size / 4);
                    lines.set(i, line.substring(0, colon + 1) + " " + line.substring(colon + 1).trim() + filler);
                }
            });
            case INJECT_CRLF -> withLines(bytes, lines -> {
                int i = headerLine(lines);
                if (i > 0) {
                    String line = lines.get(i);
                    int at = random.nextInt(line.length() + 1);
                    lines.set(i, line.substring(0, at) + INJECTIONS[random.nextInt(INJECTIONS.length)] + line.substring(at));
                }
            });
            case TRUNCATE -> Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case WRONG_CONTENT_LENGTH -> withLines(bytes, lines -> {
                String value = random.nextInt(3) == 0 ? LENGTHS[random.nextInt(LENGTHS.length)]
                        : Integer.toString(random.nextInt(400));
                boolean replaced = false;
                for (int i = 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
                    if (lines.get(i).regionMatches(true, 0, "Content-Length:", 0, 15)) {
                        lines.set(i, "Content-Length: " + value);
                        replaced = true;
                    }
                }
                if (!replaced) {
                    lines.add(1, "Content-Length: " + value);
                }
            });
            case NOT_UTF8 -> notUtf8(bytes);
            case EMPTY_TAG -> replaceAll(bytes, random.nextBoolean() ? "(?i)(;tag=)[^;\\r\\n>]*" : "(?i)(;branch=)[^;\\r\\n]*");
            case SHUFFLE_HEADERS -> withLines(bytes, lines -> {
                int end = lines.indexOf("");
                if (end > 2) {
                    java.util.Collections.shuffle(lines.subList(1, end), random);
                }
            });
        };
    }

    private byte[] flipBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return bytes;
        }
        byte[] flipped = bytes.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = random.nextInt(flipped.length);
            flipped[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (flipped[at] ^ (1 << random.nextInt(8)));
        }
        return flipped;
    }

    private byte[] notUtf8(byte[] bytes) {
        byte[][] junk = {{(byte) 0xc3, (byte) 0x28}, {(byte) 0xff, (byte) 0xfe}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {0}, {(byte) 0xc0, (byte) 0xaf}};
        byte[] insert = junk[random.nextInt(junk.length)];
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
        out.write(bytes, 0, at);
        out.writeBytes(insert);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    private byte[] replaceAll(byte[] bytes, String regex) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        return text.replaceAll(regex, "$1").getBytes(StandardCharsets.ISO_8859_1);
    }

    private interface LineEdit {
        void edit(List<String> lines);
    }

    /** Edits the message line by line (split at CRLF, as ISO-8859-1 so every byte survives). */
    private byte[] withLines(byte[] bytes, LineEdit edit) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r\n", -1)));
        edit.edit(lines);
        return String.join("\r\n", lines).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The index of a random header line (after the start line, before the empty line), or -1. */
    private int headerLine(List<String> lines) {
        int end = lines.indexOf("");
        int last = end < 0 ? lines.size() : end;
        return last <= 1 ? -1 : 1 + random.nextInt(last - 1);
    }
}
