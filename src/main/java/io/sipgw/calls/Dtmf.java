package io.sipgw.calls;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Key presses sent to the far end of an active call as SIP INFO with an {@code application/dtmf-relay}
 * body (the de facto format of Cisco, Asterisk, FreeSWITCH and most desk phones: {@code Signal=5} and
 * {@code Duration=160} lines), one INFO per key. This is the fallback path; a browser whose call
 * negotiated {@code telephone-event} sends RFC 4733 events in the media itself ({@code RTCDTMFSender}).
 */
public final class Dtmf {

    /** Most keys in one request. */
    public static final int MAX_DIGITS = 32;
    /** Tone length bounds and default, in milliseconds (RFC 4733 and phones accept 40 ms up). */
    public static final int MIN_DURATION_MS = 40;
    public static final int MAX_DURATION_MS = 2000;
    public static final int DEFAULT_DURATION_MS = 160;
    /** Pause between two keys, added to the duration. */
    public static final int GAP_MS = 60;

    static final String CONTENT_TYPE = "application";
    static final String CONTENT_SUBTYPE = "dtmf-relay";

    private static final Pattern KEYS = Pattern.compile("[0-9*#A-D]+");

    private Dtmf() {
    }

    /** The problem with {@code digits} (null when fine): 1 to 32 of 0-9, *, #, A-D (case-insensitive). */
    static String digitsProblem(String digits) {
        if (digits == null || digits.isEmpty()) {
            return "required: 1 to " + MAX_DIGITS + " of 0-9 * # A-D";
        }
        if (digits.length() > MAX_DIGITS) {
            return "at most " + MAX_DIGITS + " keys";
        }
        return KEYS.matcher(digits.toUpperCase(Locale.ROOT)).matches() ? null : "only 0-9 * # A-D";
    }

    /** The problem with {@code durationMs} (null when fine or absent). */
    static String durationProblem(Integer durationMs) {
        if (durationMs == null || (durationMs >= MIN_DURATION_MS && durationMs <= MAX_DURATION_MS)) {
            return null;
        }
        return MIN_DURATION_MS + " to " + MAX_DURATION_MS + " milliseconds";
    }

    /** The INFO body for one key. */
    static String body(char key, int durationMs) {
        return "Signal=" + Character.toUpperCase(key) + "\r\nDuration=" + durationMs + "\r\n";
    }
}
