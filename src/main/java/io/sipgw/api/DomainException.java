package io.sipgw.api;

import jakarta.ejb.ApplicationException;
import java.util.Map;

/**
 * A domain error: an {@link ErrorCode} of the spec's table, its message and optional details. Thrown by
 * any capability (as {@link ApiException} or a capability's own subclass); one mapper turns it into the
 * envelope ({@link ApiExceptionMapper}) and the WebSocket endpoint into an ERROR frame with the same code.
 * An application exception, so an EJB passes it through unwrapped and rolls back; subclasses inherit that.
 */
@ApplicationException(rollback = true)
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final transient Map<String, String> details;

    public DomainException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public DomainException(ErrorCode code, String message, Map<String, String> details) {
        super(message == null ? code.defaultMessage() : message);
        this.code = code;
        this.details = details == null ? Map.of() : Map.copyOf(details);
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, String> details() {
        return details;
    }
}
