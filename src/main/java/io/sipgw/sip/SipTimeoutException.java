package io.sipgw.sip;

/** A SIP request got no final response in time, or could not be sent at all. */
public class SipTimeoutException extends RuntimeException {

    public SipTimeoutException(String message) {
        super(message);
    }

    public SipTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
