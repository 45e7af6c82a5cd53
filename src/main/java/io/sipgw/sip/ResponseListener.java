package io.sipgw.sip;

import javax.sip.ResponseEvent;

/** Gets every response (provisional too) and the timeout of one client transaction (its application data). */
public interface ResponseListener {

    void onResponse(ResponseEvent event);

    void onTimeout();
}
