package io.sipgw.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Turns a domain error into the spec's envelope with the code's HTTP status. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<DomainException> {

    @Override
    public Response toResponse(DomainException e) {
        return Responses.error(e);
    }
}
