package io.sipgw.media;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A successful reply of rtpengine: the decoded dictionary with typed accessors. Byte strings are read
 * as UTF-8.
 */
public record NgReply(Map<String, Object> values) {

    public NgReply {
        values = Map.copyOf(values);
    }

    /** {@code ok}, or {@code pong} for a ping. */
    public String result() {
        return string("result").orElse("");
    }

    /** The rewritten SDP of an offer or answer. */
    public Optional<String> sdp() {
        return string("sdp");
    }

    /** The non-fatal warning rtpengine attached, if any (e.g. a delete of an unknown call). */
    public Optional<String> warning() {
        return string("warning");
    }

    /** The byte string under {@code key} as UTF-8 text; empty when absent, not a string or not UTF-8. */
    public Optional<String> string(String key) {
        return values.get(key) instanceof ByteString b ? b.text() : Optional.empty();
    }

    /** The list of byte strings under {@code key} as UTF-8 texts (others left out); empty when absent. */
    public List<String> strings(String key) {
        if (!(values.get(key) instanceof List<?> list)) {
            return List.of();
        }
        return list.stream()
                .filter(ByteString.class::isInstance)
                .map(b -> ((ByteString) b).text())
                .flatMap(Optional::stream)
                .toList();
    }

    /** The dictionary under {@code key}; empty when absent or not a dictionary. */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> dictionary(String key) {
        return values.get(key) instanceof Map<?, ?> map ? Optional.of((Map<String, Object>) map) : Optional.empty();
    }
}
