package io.sipgw.sip.registrar;

/**
 * A REGISTER carried the Call-ID of an existing binding with a CSeq not higher than the one that wrote
 * it (a retransmission or reordering); RFC 3261 section 10.3 step 7 says the update fails.
 */
public class OutOfOrderRegisterException extends RuntimeException {

    public OutOfOrderRegisterException(String contactUri) {
        super("out-of-order REGISTER for contact " + contactUri);
    }
}
