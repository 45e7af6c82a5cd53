package io.sipgw.sip;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the SIP code writes to the operator's log about a packet or a failure it caused: one line, at most
 * {@value #MAX} characters, so a hostile packet (a 60 KB header, a message full of CR/LF, a parser error
 * quoting the whole packet) can neither flood the log nor forge lines in it. Stack traces go to FINE.
 */
public final class LogLines {

    /** The longest line logged at WARNING or SEVERE about what a peer sent. */
    public static final int MAX = 500;

    private LogLines() {
    }

    /**
     * {@code text} on one line: CR, LF and other control characters shown as {@code \r}, {@code \n} or
     * {@code \xNN}, cut to {@value #MAX} characters with the length noted.
     */
    public static String oneLine(String text) {
        return oneLine(text, MAX);
    }

    /** As {@link #oneLine(String)}, cut to {@code max} characters. */
    public static String oneLine(String text, int max) {
        if (text == null) {
            return "null";
        }
        StringBuilder line = new StringBuilder(Math.min(text.length(), max) + 32);
        for (int i = 0; i < text.length() && line.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                line.append("\\r");
            } else if (c == '\n') {
                line.append("\\n");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                line.append(String.format("\\x%02x", (int) c));
            } else {
                line.append(c);
            }
        }
        if (line.length() >= max && text.length() > max) {
            line.setLength(max);
            line.append("... (").append(text.length()).append(" characters)");
        }
        return line.toString();
    }

    /** The class and message of {@code failure} and of its root cause, on one line of at most 200 characters. */
    public static String summary(Throwable failure) {
        if (failure == null) {
            return "";
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage()
                + (root != failure ? " (cause " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : "");
        return oneLine(text, 200);
    }

    /** {@code message} and the {@link #summary} of {@code failure} (if any) on one line of about {@value #MAX} characters. */
    public static String withFailure(String message, Throwable failure) {
        return failure == null ? oneLine(message) : oneLine(message, MAX - 220) + " [" + summary(failure) + "]";
    }

    /**
     * True when {@code failure} only says that an answer could not be sent (the peer closed its TCP
     * connection, the address cannot be reached): nothing is wrong on this side, and there is nobody to tell.
     */
    public static boolean undeliverable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Logs that {@code what} failed: at FINE when only an answer could not be delivered (the peer is gone;
     * nothing is wrong here and there is nobody to tell), else as one line at WARNING; the stack trace
     * goes to FINE either way.
     */
    public static void failure(Logger log, String what, Throwable failure) {
        if (undeliverable(failure)) {
            log.log(Level.FINE, oneLine(what) + ": undeliverable", failure);
            return;
        }
        log.warning(() -> withFailure(what, failure));
        log.log(Level.FINE, "stack trace of the failure above", failure);
    }
}
