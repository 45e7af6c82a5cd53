package io.sipgw.sip;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's SIP address as the API receives it: {@code sip:user@host[:port]}. The host is where the
 * user's SIP server lives (a domain, IPv4 or bracketed IPv6 literal); the port, when given, is the SIP
 * server's port. {@link #userId()} is the API's user id ({@code user@host}).
 */
public record SipUri(String user, String host, int port) {

    public static final int DEFAULT_PORT = 5060;

    private static final Pattern FORM = Pattern.compile(
            "(?i)^sip:([^@:;?\\s]+)@(\\[[0-9a-f:.]+\\]|[a-z0-9._-]+)(?::([0-9]{1,5}))?(;[^\\s]*)?$");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9._!~*'()&=+$,;?/%-]+");

    public SipUri {
        if (user == null || user.isBlank() || host == null || host.isBlank()) {
            throw new IllegalArgumentException("user and host are required");
        }
        if (port != -1 && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("port must be 1-65535");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a SIP URI; URI parameters ({@code ;transport=udp}) are accepted and ignored. The URI goes
     * into SIP headers and is stored, so {@link SipInput} bounds it: no control characters, at most
     * {@link SipInput#MAX_URI} characters, a user part of at most {@link SipInput#MAX_USER} and a host
     * name of at most {@link SipInput#MAX_HOST} (labels of 63).
     *
     * @throws IllegalArgumentException with a reason a user can act on
     */
    public static SipUri parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("SIP URI is required");
        }
        String problem = SipInput.problem(text, SipInput.MAX_URI);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("expected sip:user@host[:port]");
        }
        String user = m.group(1);
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("user part contains illegal characters");
        }
        problem = SipInput.uriPartsProblem(user, m.group(2));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        int port = -1;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535");
            }
        }
        return new SipUri(user, m.group(2), port);
    }

    /** Parses {@code user@host} (the API's userId) or a full SIP URI. */
    public static SipUri parseUserId(String userIdOrUri) {
        if (userIdOrUri != null && !userIdOrUri.regionMatches(true, 0, "sip", 0, 3)) {
            return parse("sip:" + userIdOrUri);
        }
        return parse(userIdOrUri);
    }

    /** The API's user id: {@code user@host}, without port. */
    public String userId() {
        return user + "@" + host;
    }

    /** The address of record, {@code sip:user@host}, as used in From and To. */
    public String addressOfRecord() {
        return "sip:" + userId();
    }

    /** The port of the user's SIP server, 5060 when the URI names none. */
    public int serverPort() {
        return port == -1 ? DEFAULT_PORT : port;
    }

    /** The URI in its canonical text form, with the port when one was given. */
    @Override
    public String toString() {
        return "sip:" + user + "@" + host + (port == -1 ? "" : ":" + port);
    }
}
