package io.sipgw.api;

/**
 * The error codes of the API contract (spec section 8), each with its HTTP status and a default
 * user-facing message in the spec's language.
 */
public enum ErrorCode {
    AUTH_FAILED(401, "认证失败"),
    TOKEN_EXPIRED(401, "Token 过期"),
    INVALID_TOKEN(401, "无效的 Token"),
    FORBIDDEN(403, "无权限访问"),
    NOT_FOUND(404, "资源不存在"),
    USER_OFFLINE(400, "用户离线"),
    CALL_BUSY(400, "对方忙碌"),
    CALL_REJECTED(400, "呼叫被拒绝"),
    INVALID_SDP(400, "SDP 格式错误"),
    /** Not in the spec's table: malformed or missing request fields. See README, API notes. */
    VALIDATION_ERROR(400, "请求参数错误"),
    /** Not in the spec's table: the resource's state does not allow the request (answer an ended call). */
    INVALID_STATE(409, "当前状态不允许该操作"),
    /** Not in the spec's table: wrong HTTP method. */
    METHOD_NOT_ALLOWED(405, "不支持的请求方法"),
    /** Not in the spec's table: wrong or missing Content-Type. */
    UNSUPPORTED_MEDIA_TYPE(415, "不支持的媒体类型"),
    SERVER_ERROR(500, "服务器内部错误"),
    SIP_ERROR(500, "SIP 协议错误");

    private final int httpStatus;
    private final String defaultMessage;

    ErrorCode(int httpStatus, String defaultMessage) {
        this.httpStatus = httpStatus;
        this.defaultMessage = defaultMessage;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
