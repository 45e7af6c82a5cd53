package io.sipgw.sip;

import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;

/** Gets the requests within one dialog (its application data): ACK, BYE, INFO, re-INVITE... */
public interface DialogParty {

    void onRequest(RequestEvent event);

    /** A response whose transaction is gone, e.g. a retransmitted 2xx to INVITE. */
    default void onStrayResponse(ResponseEvent event) {
    }
}
