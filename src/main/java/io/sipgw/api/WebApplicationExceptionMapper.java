package io.sipgw.api;

import jakarta.json.bind.JsonbException;
import jakarta.json.stream.JsonParsingException;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps the JAX-RS runtime's own errors (unknown path, wrong method, wrong media type, unreadable JSON,
 * role checks) to the envelope, so no HTML error page or stack trace reaches a client.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    private static final Logger LOG = Logger.getLogger(WebApplicationExceptionMapper.class.getName());

    @Override
    public Response toResponse(WebApplicationException e) {
        if (e instanceof NotFoundException) {
            return Responses.error(ErrorCode.NOT_FOUND, UserText.RESOURCE_NOT_FOUND.text(), null);
        }
        if (e instanceof NotAllowedException) {
            return Responses.error(ErrorCode.METHOD_NOT_ALLOWED, UserText.METHOD_NOT_SUPPORTED.text(),
                    Map.of("allow", String.join(", ", e.getResponse().getAllowedMethods())));
        }
        if (e instanceof NotSupportedException) {
            return Responses.error(ErrorCode.UNSUPPORTED_MEDIA_TYPE, UserText.BODY_MUST_BE_JSON.text(), null);
        }
        if (e instanceof NotAcceptableException) {
            return Responses.error(ErrorCode.VALIDATION_ERROR, UserText.ONLY_JSON_RESPONSES.text(),
                    Map.of("accept", "application/json"));
        }
        if (e instanceof ForbiddenException) {
            return Responses.error(ErrorCode.FORBIDDEN);
        }
        if (e instanceof NotAuthorizedException) {
            return Responses.error(ErrorCode.INVALID_TOKEN, UserText.TOKEN_MISSING_OR_INVALID.text(), null);
        }
        if (isJsonProblem(e)) {
            return Responses.error(ErrorCode.VALIDATION_ERROR, UserText.BODY_NOT_VALID_JSON.text(),
                    Map.of("body", "malformed JSON or wrong field types"));
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.log(Level.WARNING, "Request failed", e);
            return Responses.error(ErrorCode.SERVER_ERROR);
        }
        return Responses.error(ErrorCode.VALIDATION_ERROR, UserText.INVALID_REQUEST.text(), null);
    }

    private static boolean isJsonProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonbException || t instanceof JsonParsingException) {
                return true;
            }
        }
        return false;
    }
}
