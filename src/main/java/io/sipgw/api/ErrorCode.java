package io.sipgw.api;

/**
 * The error codes of the API contract (spec section 8), each with its HTTP status and a default
 * user-facing message in the spec's language (from {@link UserText}).
 */
public enum ErrorCode {
    AUTH_FAILED(401, UserText.AUTH_FAILED),
    TOKEN_EXPIRED(401, UserText.TOKEN_EXPIRED),
    INVALID_TOKEN(401, UserText.TOKEN_INVALID),
    FORBIDDEN(403, UserText.ACCESS_FORBIDDEN),
    NOT_FOUND(404, UserText.RESOURCE_NOT_FOUND),
    USER_OFFLINE(400, UserText.USER_OFFLINE),
    CALL_BUSY(400, UserText.CALLEE_BUSY),
    CALL_REJECTED(400, UserText.CALL_REJECTED),
    INVALID_SDP(400, UserText.SDP_MALFORMED),
    /** Not in the spec's table: malformed or missing request fields. See README, API notes. */
    VALIDATION_ERROR(400, UserText.INVALID_REQUEST),
    /** Not in the spec's table: the resource's state does not allow the request (answer an ended call). */
    INVALID_STATE(409, UserText.STATE_FORBIDS_OPERATION),
    /** Not in the spec's table: wrong HTTP method. */
    METHOD_NOT_ALLOWED(405, UserText.METHOD_NOT_SUPPORTED),
    /** Not in the spec's table: wrong or missing Content-Type. */
    UNSUPPORTED_MEDIA_TYPE(415, UserText.MEDIA_TYPE_NOT_SUPPORTED),
    /** Not in the spec's table: a request body over {@code sipgw.api.max-body-bytes}. */
    PAYLOAD_TOO_LARGE(413, UserText.BODY_TOO_LARGE),
    /**
     * Not in the spec's table: too many failed logins for this user or from this address; the answer's
     * {@code Retry-After} says when to try again (see {@link RetryLaterException}).
     */
    TOO_MANY_ATTEMPTS(429, UserText.TOO_MANY_LOGIN_ATTEMPTS),
    SERVER_ERROR(500, UserText.SERVER_ERROR),
    SIP_ERROR(500, UserText.SIP_PROTOCOL_ERROR);

    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(int httpStatus, UserText defaultMessage) {
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage.text();
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
