package io.sipgw.sip.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One torture message per test case of RFC 4475 section 3 ({@code src/test/resources/rfc4475/*.dat},
 * byte-exact; the project's own messages written after the RFC's case descriptions, named as the RFC names
 * the cases), what the RFC says a robust element does with each, and the one change a test makes before
 * sending one: the top Via's transport and sent-by are replaced with the test peer's own (transport,
 * 127.0.0.1 and port), keeping every other byte, including the line folding and odd spacing around them.
 * Without that the answer would go to the message's example hosts (example.test), which a test must never
 * address, or to a port nobody reads.
 */
public final class TortureMessages {

    /** What RFC 4475 expects of an element that receives the message. */
    public enum Kind {
        /** A valid request: parsed and answered by the server's own rules; never 400, never 500. */
        VALID,
        /**
         * A valid request whose values are over the sizes the server documents (From user over 64
         * characters, Call-ID over 255): 400 with a reason naming the limit, never 500.
         */
        OVER_LIMITS,
        /**
         * An invalid request the RFC lets an element accept ("an element choosing to be liberal in what it
         * accepts"): 400, or an answer as if it were valid; never 500, never silence.
         */
        LIBERAL,
        /** An invalid request: one of the listed statuses, or (when {@link Torture#mayDrop}) no answer. */
        INVALID,
        /** A response nobody asked for: dropped, nothing goes back; the server lives on. */
        RESPONSE
    }

    /**
     * One message.
     *
     * @param name     the file name without {@code .dat}: the RFC's name for the case
     * @param section  its section of RFC 4475
     * @param kind     valid, invalid or a stray response
     * @param statuses for an invalid one, the statuses a robust element may answer
     * @param mayDrop  for an invalid one, whether the RFC lets an element discard it silently (no answer
     *                 can be addressed)
     * @param unparsable whether JAIN-SIP's parser itself refuses it: over UDP it answers 400, over TCP it
     *                 drops the message without an answer (for {@code clerr} over a stream, waiting for
     *                 the missing octets is what RFC 4475 asks)
     */
    public record Torture(String name, String section, Kind kind, Set<Integer> statuses, boolean mayDrop,
            boolean unparsable) {

        /** Whether silence is a right answer over {@code transport}. */
        public boolean mayDropOver(SipPeer.Transport transport) {
            return kind == Kind.RESPONSE || mayDrop || (unparsable && transport == SipPeer.Transport.TCP);
        }

        public byte[] bytes() {
            return load(name);
        }

        @Override
        public String toString() {
            return section + " " + name;
        }
    }

    private static Torture valid(String name, String section) {
        return new Torture(name, section, Kind.VALID, Set.of(), false, false);
    }

    private static Torture invalid(String name, String section, boolean mayDrop, Integer... statuses) {
        return new Torture(name, section, Kind.INVALID, Set.of(statuses), mayDrop, false);
    }

    private static Torture unparsable(String name, String section) {
        return new Torture(name, section, Kind.INVALID, Set.of(400), false, true);
    }

    private static Torture overLimits(String name, String section) {
        return new Torture(name, section, Kind.OVER_LIMITS, Set.of(400), false, false);
    }

    private static Torture liberal(String name, String section) {
        return new Torture(name, section, Kind.LIBERAL, Set.of(400), false, false);
    }

    private static Torture response(String name, String section) {
        return new Torture(name, section, Kind.RESPONSE, Set.of(), true, false);
    }

    /** One message for every case of RFC 4475 section 3, in the RFC's order. */
    public static final java.util.List<Torture> ALL = java.util.List.of(
            // 3.1.1 valid messages
            valid("wsinv", "3.1.1.1"),
            valid("intmeth", "3.1.1.2"),
            valid("esc01", "3.1.1.3"),
            valid("escnull", "3.1.1.4"),
            valid("esc02", "3.1.1.5"),
            valid("lwsdisp", "3.1.1.6"),
            overLimits("longreq", "3.1.1.7"),
            valid("dblreq", "3.1.1.8"),
            valid("semiuri", "3.1.1.9"),
            valid("transports", "3.1.1.10"),
            valid("mpart01", "3.1.1.11"),
            response("unreason", "3.1.1.12"),
            response("noreason", "3.1.1.13"),
            // 3.1.2 invalid messages
            unparsable("badinv01", "3.1.2.1"),
            unparsable("clerr", "3.1.2.2"),
            unparsable("ncl", "3.1.2.3"),
            unparsable("scalar02", "3.1.2.4"),
            response("scalarlg", "3.1.2.5"),
            unparsable("quotbal", "3.1.2.6"),
            unparsable("ltgtruri", "3.1.2.7"),
            unparsable("lwsruri", "3.1.2.8"),
            invalid("lwsstart", "3.1.2.9", false, 400),
            invalid("trws", "3.1.2.10", false, 400),
            invalid("escruri", "3.1.2.11", false, 400),
            liberal("baddate", "3.1.2.12"),
            liberal("regbadct", "3.1.2.13"),
            liberal("badaspec", "3.1.2.14"),
            liberal("baddn", "3.1.2.15"),
            invalid("badvers", "3.1.2.16", false, 505),
            invalid("mismatch01", "3.1.2.17", false, 400),
            invalid("mismatch02", "3.1.2.18", false, 400),
            response("bigcode", "3.1.2.19"),
            // 3.2 transaction layer semantics
            valid("badbranch", "3.2.1"),
            // 3.3 application layer semantics
            invalid("insuf", "3.3.1", true, 400),
            invalid("unkscm", "3.3.2", false, 416),
            invalid("novelsc", "3.3.3", false, 416),
            valid("unksm2", "3.3.4"),
            invalid("bext01", "3.3.5", false, 420),
            valid("invut", "3.3.6"),
            valid("regaut01", "3.3.7"),
            invalid("multi01", "3.3.8", false, 400),
            invalid("mcl01", "3.3.9", false, 400),
            response("bcast", "3.3.10"),
            invalid("zeromf", "3.3.11", false, 483),
            valid("cparam01", "3.3.12"),
            valid("cparam02", "3.3.13"),
            valid("regescrt", "3.3.14"),
            valid("sdp01", "3.3.15"),
            // 3.4 backward compatibility
            // "should be accepted by RFC 3261 elements that want to maintain backwards compatibility";
            // JAIN-SIP refuses an INVITE without Contact (RFC 3261 8.1.1.8) with 400
            liberal("inv2543", "3.4.1"));

    private static final String LWS = "(?:[ \\t]|\\r\\n[ \\t])*";
    /** The top Via: name, "SIP / version / transport", then the sent-by up to its parameters. */
    private static final Pattern TOP_VIA = Pattern.compile("(?im)^(?:via|v)[ \\t]*:" + LWS + "SIP" + LWS + "/" + LWS
            + "[0-9.]+" + LWS + "/" + LWS + "([A-Za-z]+)((?:[ \\t]|\\r\\n[ \\t])+)([^;,\\s]+)");

    private TortureMessages() {
    }

    /** The bytes of {@code rfc4475/<name>.dat}. */
    public static byte[] load(String name) {
        try (InputStream in = TortureMessages.class.getResourceAsStream("/rfc4475/" + name + ".dat")) {
            if (in == null) {
                throw new IllegalStateException("no test resource rfc4475/" + name + ".dat");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code message} with the transport and sent-by of its top Via replaced (a response, or a request
     * without a Via it can find, comes back unchanged). Works on the bytes as ISO-8859-1, so every other
     * octet stays as it was.
     */
    public static byte[] viaTo(byte[] message, String transport, String sentBy) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        if (text.startsWith("SIP/")) {
            return message;
        }
        Matcher via = TOP_VIA.matcher(text);
        if (!via.find()) {
            return message;
        }
        String changed = text.substring(0, via.start(1)) + transport + via.group(2) + sentBy + text.substring(via.end(3));
        return changed.getBytes(StandardCharsets.ISO_8859_1);
    }
}
