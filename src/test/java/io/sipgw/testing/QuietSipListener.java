package io.sipgw.testing;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;

/**
 * A SIP listener for test agents that care about requests (and maybe responses) only: tests notice a
 * missing answer by their own timeouts, and there is nothing to release when a transaction or dialog ends.
 */
public interface QuietSipListener extends SipListener {

    @Override
    default void processResponse(ResponseEvent event) {
    }

    @Override
    default void processTimeout(TimeoutEvent event) {
    }

    @Override
    default void processIOException(IOExceptionEvent event) {
    }

    @Override
    default void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    default void processDialogTerminated(DialogTerminatedEvent event) {
    }
}
