package io.sipgw.sip;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import java.util.Map;
import java.util.regex.Pattern;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;

/**
 * The one place that decides whether a value may go into SIP or SDP framing, and whether a value that
 * arrived in SIP fits what the gateway stores. Values from clients (REST bodies, WebSocket frames) that
 * end up in a SIP header, a Request-URI, an SDP line or an INFO body must hold no control character (no
 * CR or LF that would start a new header or line, no NUL, no other C0/C1 control) and must fit their
 * bound; refused values are {@code 400 VALIDATION_ERROR}. Incoming requests whose From or Call-ID are
 * longer than their columns are answered 400 rather than failing on insert.
 */
public final class SipInput {

    /** A SIP URI from a client ({@code to}, {@code sipUri}): also bounds the userId columns (255). */
    public static final int MAX_URI = 255;
    /** A host name (RFC 1035: 253 characters, labels of at most 63). */
    public static final int MAX_HOST = 253;
    public static final int MAX_HOST_LABEL = 63;
    /** The user part of a SIP URI, as the embedded SIP server bounds it. */
    public static final int MAX_USER = 64;
    /** The text of a Reason header (the call's stored end reason holds 200 characters). */
    public static final int MAX_REASON = 200;
    /** One trickled ICE candidate line. */
    public static final int MAX_CANDIDATE = 1024;
    /** An SDP media id ({@code a=mid}); browsers use "0", "1" or "audio". */
    public static final int MAX_SDP_MID = 32;
    /** The highest m-line index a candidate may name. */
    public static final int MAX_M_LINE_INDEX = 63;
    /** What the gateway stores of an incoming sender: userId ({@code user@host}) and Call-ID columns. */
    public static final int MAX_STORED_USER_ID = 255;
    public static final int MAX_STORED_URI = 300;
    public static final int MAX_STORED_CALL_ID = 255;

    /** RFC 4566 5: a line is {@code <type>=<value>} with a one-letter type. */
    private static final Pattern SDP_LINE = Pattern.compile("[a-z]=.*");
    /** RFC 4566 token: what an {@code a=mid} value may be. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`{|}~-]+");

    private SipInput() {
    }

    /** True when {@code value} holds a C0 or C1 control character or DEL (CR and LF included). */
    public static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    /** What is wrong with {@code value} as a single-line SIP/SDP value, or null when it may be used. */
    public static String problem(String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (hasControlCharacter(value)) {
            return "must not contain control characters (CR, LF, NUL, ...)";
        }
        if (value.length() > maxLength) {
            return "at most " + maxLength + " characters";
        }
        return null;
    }

    /**
     * Refuses a client's value that would change SIP/SDP framing or is too long.
     *
     * @throws ApiException VALIDATION_ERROR with {@code details.<field>} saying what is wrong
     */
    public static void require(String field, String value, int maxLength) {
        String problem = problem(value, maxLength);
        if (problem != null) {
            throw invalid(field, problem);
        }
    }

    /** A VALIDATION_ERROR for {@code field}, in the envelope's words. */
    public static ApiException invalid(String field, String problem) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, UserText.INVALID_REQUEST_FIELD.format(field), Map.of(field, problem));
    }

    /**
     * What is wrong with the line structure of an SDP body whose line ends are CRLF, or null: every line is
     * {@code <letter>=<value>} (RFC 4566 5) without control characters, as a bare CR or a NUL inside a line
     * would change the lines a receiver sees; no empty lines except the end.
     */
    public static String sdpLinesProblem(String crlfSdp) {
        String[] lines = crlfSdp.split("\r\n", -1);
        int last = lines.length - (crlfSdp.endsWith("\r\n") ? 1 : 0);
        for (int i = 0; i < last; i++) {
            if (hasControlCharacter(lines[i])) {
                return "line " + (i + 1) + " contains a control character";
            }
            if (!SDP_LINE.matcher(lines[i]).matches()) {
                return "line " + (i + 1) + " is not <type>=<value>";
            }
        }
        return null;
    }

    /**
     * What is wrong with a trickled ICE candidate line from a client, or null: an empty one is the
     * end-of-candidates marker; otherwise it is one {@code candidate:...} attribute (with or without
     * {@code a=}), without control characters, at most {@link #MAX_CANDIDATE} characters.
     */
    public static String candidateProblem(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return null;
        }
        String problem = problem(candidate, MAX_CANDIDATE);
        if (problem != null) {
            return problem;
        }
        String line = candidate.trim();
        if (!line.isEmpty() && !line.startsWith("candidate:") && !line.startsWith("a=candidate:")) {
            return "must be a candidate attribute (candidate:...)";
        }
        return null;
    }

    /** What is wrong with an ICE candidate's {@code sdpMid}, or null: absent, or an RFC 4566 token of at most {@link #MAX_SDP_MID}. */
    public static String sdpMidProblem(String mid) {
        if (mid == null || mid.isEmpty()) {
            return null;
        }
        if (mid.length() > MAX_SDP_MID) {
            return "at most " + MAX_SDP_MID + " characters";
        }
        return TOKEN.matcher(mid).matches() ? null : "letters, digits and -.!#$%&'*+^_`{|}~ only";
    }

    /** What is wrong with an ICE candidate's {@code sdpMLineIndex}, or null: absent, or 0 to {@link #MAX_M_LINE_INDEX}. */
    public static String mLineIndexProblem(Integer index) {
        return index == null || (index >= 0 && index <= MAX_M_LINE_INDEX) ? null
                : "an integer from 0 to " + MAX_M_LINE_INDEX;
    }

    /** What is wrong with the user part and host of a SIP URI from a client, or null; see {@link SipUri#parse}. */
    static String uriPartsProblem(String user, String host) {
        if (user.length() > MAX_USER) {
            return "the user part has at most " + MAX_USER + " characters";
        }
        if (host.length() > MAX_HOST) {
            return "the host has at most " + MAX_HOST + " characters";
        }
        if (!host.startsWith("[")) {
            for (String label : host.split("\\.")) {
                if (label.length() > MAX_HOST_LABEL) {
                    return "a host name label has at most " + MAX_HOST_LABEL + " characters";
                }
            }
        }
        return null;
    }

    /**
     * The reason phrase of a 400 when an incoming request's sender or Call-ID do not fit what the
     * gateway stores of them (From userId 255, From URI 300, Call-ID 255 characters), else null.
     */
    static String storedValuesProblem(Request request) {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (from != null) {
            URI uri = from.getAddress().getURI();
            if (uri.toString().length() > MAX_STORED_URI) {
                return "From Too Long";
            }
            if (uri instanceof SipURI sip && sip.getUser() != null && sip.getHost() != null
                    && sip.getUser().length() + 1 + sip.getHost().length() > MAX_STORED_USER_ID) {
                return "From Too Long";
            }
        }
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        if (callId != null && callId.getCallId().length() > MAX_STORED_CALL_ID) {
            return "Call-ID Too Long";
        }
        return null;
    }
}
