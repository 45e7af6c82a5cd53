package io.sipgw.api;

import jakarta.ejb.ApplicationException;
import java.util.Map;

/**
 * A domain error that reaches the client as the spec's envelope. Thrown by any capability; mapped in
 * one place ({@link ApiExceptionMapper}).
 * Marked as an application exception so an EJB passes it through unwrapped and rolls back.
 */
@ApplicationException(rollback = true)
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final transient Map<String, String> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, String> details) {
        super(message == null ? code.defaultMessage() : message);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static ApiException invalid(String field, String problem) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, "请求参数错误：" + field, Map.of(field, problem));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, String> details() {
        return details;
    }
}
