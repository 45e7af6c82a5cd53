package io.sipgw.sip;

/** The SIP server refused or did not answer a REGISTER. */
public class RegistrationFailedException extends Exception {

    /** Why the registration failed, in terms a caller can map to its own errors. */
    public enum Cause {
        /** The server rejected the credentials (401/407 after answering the challenge, or 403). */
        CREDENTIALS_REJECTED,
        /** The server does not know the user (404). */
        UNKNOWN_USER,
        /** No final answer within the request timeout. */
        TIMEOUT,
        /** Any other SIP failure, see {@link #statusCode()}. */
        SIP_FAILURE
    }

    private final Cause cause;
    private final int statusCode;

    public RegistrationFailedException(Cause cause, int statusCode, String message) {
        super(message);
        this.cause = cause;
        this.statusCode = statusCode;
    }

    public Cause failure() {
        return cause;
    }

    /** The SIP status that ended the attempt, 0 when there was none. */
    public int statusCode() {
        return statusCode;
    }
}
