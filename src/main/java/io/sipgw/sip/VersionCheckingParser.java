package io.sipgw.sip;

import gov.nist.javax.sip.header.MaxForwards;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParserFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sip.InvalidArgumentException;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.message.Request;

/**
 * JAIN-SIP's message parser, remembering the SIP version of a request line: JAIN-SIP 1.3.0-91 parses
 * {@code MESSAGE sip:bob@host SIP/7.0} and hands it on as SIP/2.0, so nothing after the parser can tell.
 * A request whose request line names another version than SIP/2.0 carries an {@link UnsupportedVersion}
 * as its application data ({@link #hasSupportedVersion}); the gateway's user agent and the embedded SIP
 * server answer it 505 (RFC 3261 section 21.5.6). Installed through the stack property
 * {@link #STACK_PROPERTY} on both stacks.
 *
 * <p>It also notes what JAIN-SIP's lenient parser lets through although RFC 3261's grammar forbids it, as
 * a {@link Malformed} (answered 400 by both): a request line that is not exactly {@code Method SP
 * Request-URI SP SIP-Version} (several spaces, trailing spaces: RFC 4475 3.1.2.9 and 3.1.2.10), a SIP or
 * SIPS Request-URI with headers (3.1.2.11), and a header that may appear once (To, From, Call-ID, CSeq,
 * Max-Forwards, Content-Length, Content-Type) appearing twice (3.3.8, 3.3.9); JAIN-SIP keeps one of them
 * and answers as if nothing were wrong. A request without Max-Forwards (RFC 2543, RFC 4475 3.4.1) gets
 * one of 70, as a proxy adds it (RFC 3261 section 16.6), instead of JAIN-SIP's 400.
 *
 * <p>Before JAIN-SIP sees a message, folded header lines are unfolded ({@link #unfold}): JAIN-SIP 1.3.0-91
 * joins a continuation line to its header without the line break and without the continuation's first
 * whitespace character, so {@code Via: SIP/2.0/UDP} CRLF SP {@code host} becomes {@code SIP/2.0/UDPhost},
 * and the request is handed on without that Via (RFC 3261 section 7.3.1 lets any header be folded).
 */
public final class VersionCheckingParser implements MessageParser {

    /** The stack property that installs this parser: set it to {@code Factory.class.getName()}. */
    public static final String STACK_PROPERTY = "gov.nist.javax.sip.MESSAGE_PARSER_FACTORY";

    /** The application data of a request whose request line names an unsupported SIP version. */
    public record UnsupportedVersion(String version) {
    }

    /** The application data of a request RFC 3261's grammar forbids though JAIN-SIP parsed it. */
    public record Malformed(String reason) {
    }

    /** The reason phrase of a 400 for a request the parser noted as {@link Malformed}, or null. */
    public static String malformation(Request request) {
        return request instanceof SIPMessage message && message.getApplicationData() instanceof Malformed malformed
                ? malformed.reason() : null;
    }

    /** False when the request line of {@code request} named another SIP version than 2.0. */
    public static boolean hasSupportedVersion(Request request) {
        return "SIP/2.0".equalsIgnoreCase(request.getSIPVersion())
                && !(request instanceof SIPMessage message && message.getApplicationData() instanceof UnsupportedVersion);
    }

    /** The factory the stack instantiates by name. */
    public static final class Factory implements MessageParserFactory {
        private final MessageParserFactory standard = new StringMsgParserFactory();

        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new VersionCheckingParser(standard.createMessageParser(stack));
        }
    }

    private static final int MAX_REQUEST_LINE = 8192;

    private final MessageParser standard;

    VersionCheckingParser(MessageParser standard) {
        this.standard = standard;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
            ParseExceptionListener listener) throws ParseException {
        bytes = unfold(bytes);
        SIPMessage message = standard.parseSIPMessage(bytes, readBody, strict, listener);
        if (message instanceof SIPRequest request) {
            String version = requestLineVersion(bytes);
            if (version != null && !version.equalsIgnoreCase("SIP/2.0")) {
                message.setApplicationData(new UnsupportedVersion(version));
            } else {
                String malformed = malformation(bytes);
                if (malformed != null) {
                    message.setApplicationData(new Malformed(malformed));
                }
            }
            if (request.getHeader(MaxForwardsHeader.NAME) == null) {
                try {
                    request.setHeader(new MaxForwards(DEFAULT_MAX_FORWARDS));
                } catch (InvalidArgumentException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return message;
    }

    /**
     * {@code bytes} with every line fold of the header section undone (RFC 3261 section 7.3.1): the line break
     * (CRLF, or a bare LF or CR, as JAIN-SIP ends lines) before a line that starts with SP or HT is removed
     * and the whitespace kept, so the continuation joins its header with at least one space. Only header
     * lines are joined: leading empty lines (keep-alives) and the start line stay as they are (a header
     * section that starts with whitespace is still JAIN-SIP's "Bad header continuation"), and nothing after
     * the empty line that ends the head is touched, so a body and its Content-Length keep their bytes.
     * Over a stream JAIN-SIP hands the parser the head alone; over UDP the whole datagram. Returns
     * {@code bytes} itself when nothing is folded.
     */
    static byte[] unfold(byte[] bytes) {
        int n = bytes.length;
        int p = 0;
        while (p < n && (bytes[p] == '\r' || bytes[p] == '\n')) {
            p++;
        }
        p = lineEnd(bytes, p);               // the start line is never joined
        p += breakLength(bytes, p);
        ByteArrayOutputStream out = null;
        int copied = 0;
        while (p < n && bytes[p] != '\r' && bytes[p] != '\n') { // p starts a header line
            int end = lineEnd(bytes, p);
            int next = end + breakLength(bytes, end);
            if (next < n && next > end && (bytes[next] == ' ' || bytes[next] == '\t')) {
                if (out == null) {
                    out = new ByteArrayOutputStream(n);
                }
                out.write(bytes, copied, end - copied); // up to the line break, which is dropped
                copied = next;
                p = next;                            // the continuation, now part of the same line
                continue;
            }
            p = next;
        }
        if (out == null) {
            return bytes;
        }
        out.write(bytes, copied, n - copied);
        return out.toByteArray();
    }

    /** The index of the first CR or LF at or after {@code from}, or the length. */
    private static int lineEnd(byte[] bytes, int from) {
        int i = from;
        while (i < bytes.length && bytes[i] != '\r' && bytes[i] != '\n') {
            i++;
        }
        return i;
    }

    /** The length of the line break at {@code at}: 2 for CRLF, 1 for a bare CR or LF, 0 at the end. */
    private static int breakLength(byte[] bytes, int at) {
        if (at >= bytes.length) {
            return 0;
        }
        return bytes[at] == '\r' && at + 1 < bytes.length && bytes[at + 1] == '\n' ? 2 : 1;
    }

    private static final int DEFAULT_MAX_FORWARDS = 70;
    /** {@code Method SP Request-URI SP SIP-Version}, nothing more (RFC 3261 section 25.1). */
    private static final Pattern REQUEST_LINE = Pattern.compile("[^ \\t]+ [^ \\t]+ [^ \\t]+");
    /** Headers RFC 3261 allows once, by full and compact name. */
    private static final Map<String, String> SINGLE_HEADERS = Map.ofEntries(Map.entry("to", "To"), Map.entry("t", "To"),
            Map.entry("from", "From"), Map.entry("f", "From"), Map.entry("call-id", "Call-ID"), Map.entry("i", "Call-ID"),
            Map.entry("cseq", "CSeq"), Map.entry("max-forwards", "Max-Forwards"),
            Map.entry("content-length", "Content-Length"), Map.entry("l", "Content-Length"),
            Map.entry("content-type", "Content-Type"), Map.entry("c", "Content-Type"));

    /**
     * The reason phrase of a 400 for a request whose raw head breaks RFC 3261's grammar in a way JAIN-SIP
     * accepts, or null. Only the head is read (up to the first empty line, at most 64 KiB).
     */
    static String malformation(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
            start++;
        }
        // lines end with CRLF or a bare LF; the head ends at the first empty line. Scanned in place: this runs
        // for every request parsed, and splitting the head with regular expressions was about 1.5 % of the
        // server's CPU in the messaging benchmark
        int limit = Math.min(bytes.length, start + 65_536);
        int end = headLineEnd(bytes, start, limit);
        String requestLine = new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        if (!REQUEST_LINE.matcher(requestLine).matches()) {
            return "Malformed Request-Line";
        }
        String uri = requestLine.substring(requestLine.indexOf(' ') + 1, requestLine.lastIndexOf(' '));
        boolean sip = uri.regionMatches(true, 0, "sip:", 0, 4) || uri.regionMatches(true, 0, "sips:", 0, 5);
        // a '?' in the user part is allowed (RFC 4475 3.1.1.2); after the host it starts headers
        if (sip && uri.indexOf('?', Math.max(0, uri.lastIndexOf('@'))) >= 0) {
            return "Headers Not Allowed in Request-URI";
        }
        Set<String> seen = new HashSet<>();
        for (int at = nextHeadLine(bytes, end, limit); at < limit; ) {
            int lineEnd = headLineEnd(bytes, at, limit);
            if (lineEnd == at) {
                break; // the empty line that ends the head
            }
            int colon = at;
            while (colon < lineEnd && bytes[colon] != ':') {
                colon++;
            }
            // a continuation line, or one without a colon, is left for JAIN-SIP to judge
            if (bytes[at] != ' ' && bytes[at] != '\t' && colon < lineEnd) {
                String name = new String(bytes, at, colon - at, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
                String single = SINGLE_HEADERS.get(name);
                if (single != null && !seen.add(single)) {
                    return "Duplicate " + single;
                }
            }
            at = nextHeadLine(bytes, lineEnd, limit);
        }
        return null;
    }

    /** Where the line starting at {@code from} ends: at its CRLF or bare LF (a bare CR is part of the line), or at limit. */
    private static int headLineEnd(byte[] bytes, int from, int limit) {
        for (int i = from; i < limit; i++) {
            if (bytes[i] == '\n') {
                return i > from && bytes[i - 1] == '\r' ? i - 1 : i;
            }
        }
        return limit;
    }

    /** The start of the next line after the line end {@code end} found by {@link #headLineEnd}. */
    private static int nextHeadLine(byte[] bytes, int end, int limit) {
        return end >= limit ? limit : end + (bytes[end] == '\r' ? 2 : 1);
    }

    /** The last token of the first non-empty line if it is a request line, else null. */
    static String requestLineVersion(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
            start++;
        }
        int end = start;
        while (end < bytes.length && end - start < MAX_REQUEST_LINE && bytes[end] != '\r' && bytes[end] != '\n') {
            end++;
        }
        String line = new String(bytes, start, end - start, StandardCharsets.UTF_8).trim();
        if (line.regionMatches(true, 0, "SIP/", 0, 4)) {
            return null; // a status line
        }
        int space = line.lastIndexOf(' ');
        return space < 0 ? null : line.substring(space + 1);
    }
}
