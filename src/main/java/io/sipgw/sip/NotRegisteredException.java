package io.sipgw.sip;

import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;

/** The user holds no SIP registration on this instance (it ended, or was never made): log in again. */
public class NotRegisteredException extends DomainException {

    public NotRegisteredException(String userId) {
        super(ErrorCode.AUTH_FAILED, "SIP 注册已失效，请重新登录");
    }
}
