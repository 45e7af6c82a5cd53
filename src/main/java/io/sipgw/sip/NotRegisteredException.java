package io.sipgw.sip;

import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;

/** The user holds no SIP registration on this instance (it ended, or was never made): log in again. */
public class NotRegisteredException extends DomainException {

    public NotRegisteredException(String userId) {
        super(ErrorCode.AUTH_FAILED, UserText.REGISTRATION_EXPIRED_LOGIN_AGAIN.text());
    }
}
