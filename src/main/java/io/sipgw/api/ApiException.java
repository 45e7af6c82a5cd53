package io.sipgw.api;

import java.util.Map;

/**
 * A domain error that reaches the client as the spec's envelope, for capabilities without an exception
 * of their own. Mapped in one place ({@link ApiExceptionMapper}), like every {@link DomainException}.
 */
public class ApiException extends DomainException {

    public ApiException(ErrorCode code, String message) {
        super(code, message);
    }

    public ApiException(ErrorCode code, String message, Map<String, String> details) {
        super(code, message, details);
    }

    public static ApiException invalid(String field, String problem) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, UserText.INVALID_REQUEST_FIELD.format(field), Map.of(field, problem));
    }
}
