package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipgw.api.ApiException;
import io.sipgw.sip.RegistrationFailedException;
import org.junit.jupiter.api.Test;

class LoginsTest {

    @Test
    void unknownUserGetsTheSameErrorAsAWrongPassword() {
        ApiException unknown = Logins.loginFailure(new RegistrationFailedException(
                RegistrationFailedException.Cause.UNKNOWN_USER, 404, "404 Not Found"));
        ApiException wrongPassword = Logins.loginFailure(new RegistrationFailedException(
                RegistrationFailedException.Cause.CREDENTIALS_REJECTED, 403, "403 Forbidden"));

        assertEquals(wrongPassword.code(), unknown.code());
        assertEquals(wrongPassword.getMessage(), unknown.getMessage());
        assertEquals(wrongPassword.details(), unknown.details());
        assertEquals("SIP 注册失败：认证错误", unknown.getMessage());
    }
}
