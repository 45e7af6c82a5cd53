package io.sipgw.sip;

/** A request could not be built or handed to the stack. */
public class SipSendException extends Exception {

    public SipSendException(String message, Throwable cause) {
        super(message, cause);
    }
}
