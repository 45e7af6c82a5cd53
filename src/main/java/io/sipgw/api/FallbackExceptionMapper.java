package io.sipgw.api;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The last line: any unexpected exception is logged with its cause and answered SERVER_ERROR without
 * internals. JSON binding errors that the runtime did not wrap are a client problem (400).
 */
@Provider
public class FallbackExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(FallbackExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DomainException api) {
                return Responses.error(api);
            }
            if (t instanceof JsonbException) {
                return Responses.error(ErrorCode.VALIDATION_ERROR, UserText.BODY_NOT_VALID_JSON.text(),
                        Map.of("body", "malformed JSON or wrong field types"));
            }
        }
        LOG.log(Level.SEVERE, "Unexpected error while serving a request", e);
        return Responses.error(ErrorCode.SERVER_ERROR);
    }
}
