package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BencodeTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String encoded(Object value) {
        return new String(Bencode.encode(value), StandardCharsets.ISO_8859_1);
    }

    private static String rejected(String input) {
        return assertThrows(BencodeException.class, () -> Bencode.decode(ascii(input))).getMessage();
    }

    @Test
    void encodesTheNgPingOfTheProtocolDocs() {
        assertEquals("d7:command4:pinge", encoded(Map.of("command", "ping")));
    }

    @Test
    void encodesScalarsListsAndSortsDictionaryKeysByTheirBytes() {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("to-tag", "b");
        dict.put("ICE", "remove");
        dict.put("flags", List.of("trust-address", 7, -3L));
        dict.put("codec", Map.of("transcode", List.of("PCMU")));
        assertEquals("d3:ICE6:remove5:codecd9:transcodel4:PCMUee5:flagsl13:trust-addressi7ei-3ee6:to-tag1:be",
                encoded(dict));
        assertEquals("i0e", encoded(0));
        assertEquals("0:", encoded(""));
        assertEquals("le", encoded(List.of()));
        assertEquals("de", encoded(Map.of()));
    }

    @Test
    void stringsAreUtf8BytesCountedInBytes() {
        assertEquals("5:caf\u00c3\u00a9", encoded("caf\u00e9"));
    }

    @Test
    void decodesNestedDictionariesAndListsInTheirOrder() {
        Object value = Bencode.decode(ascii("d6:result2:ok5:callsl2:c12:c2e4:infod1:ni-42eee"));
        Map<?, ?> dict = (Map<?, ?>) value;
        assertEquals(List.of("result", "calls", "info"), List.copyOf(dict.keySet()));
        assertEquals(ByteString.utf8("ok"), dict.get("result"));
        assertEquals(List.of(ByteString.utf8("c1"), ByteString.utf8("c2")), dict.get("calls"));
        assertEquals(Map.of("n", -42L), dict.get("info"));
    }

    @Test
    void byteStringsSurviveARoundTripWhateverTheirBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        byte[] encoded = Bencode.encode(Map.of("sdp", all, "nul", ByteString.of(new byte[] {0, ':', 'e', 'd'})));
        Map<?, ?> decoded = (Map<?, ?>) Bencode.decode(encoded);
        assertArrayEquals(all, ((ByteString) decoded.get("sdp")).bytes());
        assertArrayEquals(new byte[] {0, ':', 'e', 'd'}, ((ByteString) decoded.get("nul")).bytes());
        assertTrue(((ByteString) decoded.get("sdp")).text().isEmpty(), "not UTF-8, so no text");
    }

    @Test
    void integersUseTheWhole64Bits() {
        assertEquals(Long.MAX_VALUE, Bencode.decode(ascii("i9223372036854775807e")));
        assertEquals(Long.MIN_VALUE, Bencode.decode(ascii("i-9223372036854775808e")));
        assertTrue(rejected("i9223372036854775808e").contains("beyond 64 bits"));
        assertTrue(rejected("i-9223372036854775809e").contains("beyond 64 bits"));
    }

    @Test
    void malformedInputIsRejectedNamingTheByte() {
        assertEquals("malformed bencode at byte 0: input ends where a value should be", rejected(""));
        assertEquals("malformed bencode at byte 0: unexpected 'x'", rejected("xx"));
        assertEquals("malformed bencode at byte 2: leading zero in an integer", rejected("i03e"));
        assertEquals("malformed bencode at byte 3: negative zero", rejected("i-0e"));
        assertEquals("malformed bencode at byte 1: integer without digits", rejected("ie"));
        assertEquals("malformed bencode at byte 2: 'a' in an integer", rejected("i1a2e"));
        assertEquals("malformed bencode at byte 3: input ends where the end of an integer should be", rejected("i12"));
        assertEquals("malformed bencode at byte 1: leading zero in a string length", rejected("03:abc"));
        assertEquals("malformed bencode at byte 2: string of 5 bytes, only 3 left", rejected("5:abc"));
        assertEquals("malformed bencode at byte 1: 'x' in a string length", rejected("3x:abc"));
        assertEquals("malformed bencode at byte 3: trailing bytes after the value", rejected("i1ei2e"));
        assertEquals("malformed bencode at byte 1: dictionary key is not a string", rejected("di1ei2ee"));
        assertEquals("malformed bencode at byte 7: dictionary key 'a' twice", rejected("d1:ai1e1:ai2ee"));
        assertEquals("malformed bencode at byte 7: input ends where the end of a list should be", rejected("l1:a1:b"));
        assertEquals("malformed bencode at byte 4: input ends where a value should be", rejected("d1:a"));
        assertTrue(rejected("99999999999999999999:x").contains("string length beyond the input"));
    }

    @Test
    void dictionaryKeysMustBeUtf8() {
        byte[] input = {'d', '1', ':', (byte) 0xff, 'i', '1', 'e', 'e'};
        BencodeException e = assertThrows(BencodeException.class, () -> Bencode.decode(input));
        assertEquals("malformed bencode at byte 1: dictionary key is not UTF-8", e.getMessage());
    }

    @Test
    void nestingAndSizeAreBounded() {
        String deep = "l".repeat(Bencode.MAX_DEPTH) + "e".repeat(Bencode.MAX_DEPTH);
        Bencode.decode(ascii(deep));
        String deeper = "l".repeat(Bencode.MAX_DEPTH + 1) + "e".repeat(Bencode.MAX_DEPTH + 1);
        assertTrue(rejected(deeper).contains("nested deeper than " + Bencode.MAX_DEPTH));

        String many = "l" + "i1e".repeat(Bencode.MAX_ELEMENTS) + "e";
        assertEquals(Bencode.MAX_ELEMENTS, ((List<?>) Bencode.decode(ascii(many))).size());
        String tooMany = "l" + "i1e".repeat(Bencode.MAX_ELEMENTS + 1) + "e";
        assertTrue(rejected(tooMany).contains("more than " + Bencode.MAX_ELEMENTS));
    }

    @Test
    void decodesASliceOfABuffer() {
        byte[] datagram = ascii("abc_1 d6:result4:ponge");
        assertEquals(Map.of("result", ByteString.utf8("pong")), Bencode.decode(datagram, 6, datagram.length - 6));
    }

    @Test
    void valuesBencodeCannotCarryAreRefused() {
        assertThrows(BencodeException.class, () -> Bencode.encode(1.5));
        assertThrows(BencodeException.class, () -> Bencode.encode(List.of(true)));
        assertThrows(BencodeException.class, () -> Bencode.encode(Map.of(1, "x")));
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("sdp", null);
        BencodeException e = assertThrows(BencodeException.class, () -> Bencode.encode(nullValue));
        assertEquals("cannot encode null in bencode", e.getMessage());
    }

    @Test
    void decodedValuesCannotBeChanged() {
        Map<?, ?> decoded = (Map<?, ?>) Bencode.decode(ascii("d1:ale1:bdee"));
        assertThrows(UnsupportedOperationException.class, () -> decoded.clear());
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) decoded.get("a")).clear());
    }
}
