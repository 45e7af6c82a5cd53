/**
 * The spec's REST envelope and errors, shared by every component: {@code ApiResponse} and {@code ApiError}
 * (the JSON shape of every answer), {@code ErrorCode} (the spec's error table with HTTP status and default
 * Chinese message), {@code ApiException} (a domain error carrying a code), {@code Paging} (page and size
 * parameters), and the one place each kind of failure becomes the envelope: {@code ApiExceptionMapper}
 * for domain errors, {@code WebApplicationExceptionMapper} for the JAX-RS runtime's own errors,
 * {@code FallbackExceptionMapper} for anything unexpected (logged, answered SERVER_ERROR) and
 * {@code ErrorPageServlet} for the container's error pages. It knows no business component.
 */
package io.sipgw.api;
