package io.sipgw.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bencode (BEP 3), the encoding of rtpengine's ng control protocol: byte strings ({@code 4:spam}),
 * integers ({@code i42e}), lists ({@code l...e}) and dictionaries ({@code d...e}).
 *
 * <p>Encoding takes {@link String} (as UTF-8), {@link ByteString}, {@code byte[]}, {@link Integer},
 * {@link Long}, {@link List} and {@link Map} with {@code String} or {@code ByteString} keys, and writes
 * dictionary keys in bencode's sorted order. Decoding yields {@link ByteString}, {@link Long}, unmodifiable
 * {@code List<Object>} and unmodifiable {@code Map<String, Object>} (keys must be UTF-8 and unique; their
 * order is not checked, as rtpengine does not sort its keys), and refuses anything malformed with a
 * {@link BencodeException} naming the byte: leading zeros, {@code -0}, integers beyond 64 bits, lengths
 * beyond the input, trailing bytes, nesting deeper than {@value #MAX_DEPTH}, more than
 * {@value #MAX_ELEMENTS} list items and dictionary entries in all.
 */
public final class Bencode {

    /** Deepest nesting of lists and dictionaries accepted when decoding. */
    public static final int MAX_DEPTH = 32;
    /** Most list items plus dictionary entries accepted in one decoded value. */
    public static final int MAX_ELEMENTS = 10_000;

    private Bencode() {
    }

    /** The bencoding of {@code value}. */
    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, value, 0);
        return out.toByteArray();
    }

    /** The one value {@code data} holds, all of it. */
    public static Object decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /** The one value held by {@code length} bytes of {@code data} from {@code offset}, all of them. */
    public static Object decode(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + ", size " + data.length);
        }
        Reader reader = new Reader(data, offset, offset + length);
        Object value = reader.value(0);
        if (reader.pos != reader.end) {
            throw BencodeException.at(reader.pos - offset, "trailing bytes after the value");
        }
        return value;
    }

    private static void write(ByteArrayOutputStream out, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BencodeException("cannot encode: nested deeper than " + MAX_DEPTH);
        }
        if (value instanceof String s) {
            writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
        } else if (value instanceof ByteString b) {
            writeBytes(out, b.unsafeBytes());
        } else if (value instanceof byte[] b) {
            writeBytes(out, b);
        } else if (value instanceof Integer || value instanceof Long) {
            out.writeBytes(("i" + value + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object item : list) {
                write(out, item, depth + 1);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<ByteString, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                ByteString key = key(entry.getKey());
                if (sorted.put(key, entry.getValue()) != null) {
                    throw new BencodeException("cannot encode: dictionary key '" + key + "' twice");
                }
            }
            out.write('d');
            for (Map.Entry<ByteString, Object> entry : sorted.entrySet()) {
                writeBytes(out, entry.getKey().unsafeBytes());
                write(out, entry.getValue(), depth + 1);
            }
            out.write('e');
        } else {
            throw new BencodeException("cannot encode "
                    + (value == null ? "null" : value.getClass().getName()) + " in bencode");
        }
    }

    private static ByteString key(Object key) {
        if (key instanceof String s) {
            return ByteString.utf8(s);
        }
        if (key instanceof ByteString b) {
            return b;
        }
        throw new BencodeException("cannot encode a dictionary key of type "
                + (key == null ? "null" : key.getClass().getName()));
    }

    private static void writeBytes(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        out.write(':');
        out.writeBytes(bytes);
    }

    private static final class Reader {
        private final byte[] data;
        private final int start;
        private final int end;
        private int pos;
        private int elements;

        Reader(byte[] data, int start, int end) {
            this.data = data;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        Object value(int depth) {
            int c = peek("a value");
            if (c == 'i') {
                return integer();
            }
            if (c == 'l') {
                return list(depth);
            }
            if (c == 'd') {
                return dictionary(depth);
            }
            if (c >= '0' && c <= '9') {
                return string();
            }
            throw fail("unexpected '" + printable(c) + "'");
        }

        private Long integer() {
            pos++; // 'i'
            boolean negative = false;
            if (peek("an integer") == '-') {
                negative = true;
                pos++;
            }
            int digitsStart = pos;
            long value = 0;
            while (peek("the end of an integer") != 'e') {
                int c = data[pos];
                if (c < '0' || c > '9') {
                    throw fail("'" + printable(c) + "' in an integer");
                }
                if (pos > digitsStart && data[digitsStart] == '0') {
                    throw fail("leading zero in an integer");
                }
                try {
                    value = Math.addExact(Math.multiplyExact(value, 10), negative ? -(c - '0') : c - '0');
                } catch (ArithmeticException e) {
                    throw fail("integer beyond 64 bits");
                }
                pos++;
            }
            if (pos == digitsStart) {
                throw fail("integer without digits");
            }
            if (negative && value == 0) {
                throw fail("negative zero");
            }
            pos++; // 'e'
            return value;
        }

        private ByteString string() {
            int length = 0;
            int digitsStart = pos;
            while (peek("the ':' of a string") != ':') {
                int c = data[pos];
                if (c < '0' || c > '9') {
                    throw fail("'" + printable(c) + "' in a string length");
                }
                if (pos > digitsStart && data[digitsStart] == '0') {
                    throw fail("leading zero in a string length");
                }
                if (length > (end - start) / 10) {
                    throw fail("string length beyond the input");
                }
                length = length * 10 + (c - '0');
                pos++;
            }
            pos++; // ':'
            if (length > end - pos) {
                throw fail("string of " + length + " bytes, only " + (end - pos) + " left");
            }
            byte[] bytes = new byte[length];
            System.arraycopy(data, pos, bytes, 0, length);
            pos += length;
            return ByteString.wrap(bytes);
        }

        private List<Object> list(int depth) {
            enter(depth);
            pos++; // 'l'
            List<Object> items = new ArrayList<>();
            while (peek("the end of a list") != 'e') {
                count();
                items.add(value(depth + 1));
            }
            pos++;
            return Collections.unmodifiableList(items);
        }

        private Map<String, Object> dictionary(int depth) {
            enter(depth);
            pos++; // 'd'
            Map<String, Object> entries = new LinkedHashMap<>();
            while (peek("the end of a dictionary") != 'e') {
                count();
                int keyAt = pos;
                int c = data[pos];
                if (c < '0' || c > '9') {
                    throw fail("dictionary key is not a string");
                }
                String key = string().text()
                        .orElseThrow(() -> BencodeException.at(keyAt - start, "dictionary key is not UTF-8"));
                if (entries.containsKey(key)) {
                    throw BencodeException.at(keyAt - start, "dictionary key '" + key + "' twice");
                }
                entries.put(key, value(depth + 1));
            }
            pos++;
            return Collections.unmodifiableMap(entries);
        }

        private void enter(int depth) {
            if (depth >= MAX_DEPTH) {
                throw fail("nested deeper than " + MAX_DEPTH);
            }
        }

        private void count() {
            if (++elements > MAX_ELEMENTS) {
                throw fail("more than " + MAX_ELEMENTS + " list items and dictionary entries");
            }
        }

        private int peek(String expected) {
            if (pos >= end) {
                throw fail("input ends where " + expected + " should be");
            }
            return data[pos];
        }

        private BencodeException fail(String reason) {
            return BencodeException.at(pos - start, reason);
        }

        private static String printable(int c) {
            return c >= 0x20 && c < 0x7f ? Character.toString(c) : String.format("\\x%02x", c & 0xff);
        }
    }
}
