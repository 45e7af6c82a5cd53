package io.sipgw.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Builds JAX-RS responses that carry an error envelope. */
public final class Responses {

    public static final String JSON_UTF8 = MediaType.APPLICATION_JSON + ";charset=UTF-8";

    private Responses() {
    }

    public static Response error(ErrorCode code, String message, Map<String, String> details) {
        return Response.status(code.httpStatus())
                .type(JSON_UTF8)
                .entity(ApiResponse.failure(code, message, details))
                .build();
    }

    /** The envelope of a domain error; one that asks to retry later also carries {@code Retry-After}. */
    public static Response error(DomainException e) {
        Response response = error(e.code(), e.getMessage(), e.details());
        if (e instanceof RetryLaterException later) {
            return Response.fromResponse(response).header("Retry-After", later.retryAfterSeconds()).build();
        }
        return response;
    }

    public static Response error(ErrorCode code) {
        return error(code, null, null);
    }
}
