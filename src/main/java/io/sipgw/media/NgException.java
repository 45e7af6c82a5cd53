package io.sipgw.media;

/**
 * A request to rtpengine that did not succeed. {@link #kind()} says how; the message says it in words
 * (the server, the command and, for a refusal, rtpengine's {@code error-reason}).
 */
public class NgException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How a request failed. */
    public enum Kind {
        /** rtpengine answered {@code result: error} (or another result than asked for). */
        REFUSED,
        /** No reply within the timeout after every retry, or nothing listens at the address. */
        NO_REPLY,
        /** A reply with the request's cookie that is not a bencoded dictionary with a {@code result}. */
        BAD_REPLY,
        /** The request could not be sent (too large, socket error). */
        NOT_SENT
    }

    private final Kind kind;
    private final String command;
    private final String reason;

    NgException(Kind kind, String command, String reason, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.command = command;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    /** The ng command that failed ({@code offer}, {@code answer}, ...). */
    public String command() {
        return command;
    }

    /** rtpengine's {@code error-reason} for {@link Kind#REFUSED}, else what went wrong. */
    public String reason() {
        return reason;
    }
}
