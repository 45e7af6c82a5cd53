package io.sipgw.calls;

import io.sipgw.api.DomainException;
import io.sipgw.api.ErrorCode;
import java.util.Map;

/**
 * What a call's state (or who asks) does not allow: INVALID_STATE, or FORBIDDEN for the wrong side.
 * Thrown by {@link Call} and mapped like every {@link DomainException}.
 */
public class CallStateException extends DomainException {

    CallStateException(ErrorCode code, String message) {
        super(code, message);
    }

    CallStateException(ErrorCode code, String message, Map<String, String> details) {
        super(code, message, details);
    }

    static CallStateException invalid(String message, CallState state) {
        return new CallStateException(ErrorCode.INVALID_STATE, message, Map.of("state", state.name()));
    }
}
