package io.sipgw.api;

import java.util.Locale;

/**
 * Every user-facing text of the API in one catalogue: the {@code message} of the spec's envelope, of
 * errors and of successes alike, in the spec's language. Code names a text by its meaning, never by a
 * literal, so one wording serves every place that means the same and a repeated or reworded text shows up
 * here. Texts with a variable part hold a {@code %s} and are filled with {@link #format(Object...)}; the
 * others are read with {@link #text()}.
 */
public enum UserText {

    // Requests in general: malformed requests, methods, media types, paging, missing resources.
    INVALID_REQUEST("请求参数错误"),
    INVALID_REQUEST_FIELD("请求参数错误：%s"),
    INVALID_QUERY("查询参数错误"),
    INVALID_PAGING("分页参数错误"),
    BODY_NOT_VALID_JSON("请求体不是有效的 JSON"),
    BODY_MUST_BE_JSON("请求体必须是 application/json"),
    BODY_TOO_LARGE("请求体过大"),
    BODY_NESTED_TOO_DEEP("请求体嵌套层级过深"),
    ONLY_JSON_RESPONSES("只能返回 application/json"),
    METHOD_NOT_SUPPORTED("不支持的请求方法"),
    MEDIA_TYPE_NOT_SUPPORTED("不支持的媒体类型"),
    RESOURCE_NOT_FOUND("资源不存在"),
    ACCESS_FORBIDDEN("无权限访问"),
    STATE_FORBIDS_OPERATION("当前状态不允许该操作"),
    SERVER_ERROR("服务器内部错误"),

    // Tokens: missing, invalid, expired or revoked bearer tokens.
    AUTH_FAILED("认证失败"),
    TOKEN_EXPIRED("Token 过期"),
    TOKEN_EXPIRED_LOGIN_AGAIN("Token 已过期，请重新登录"),
    TOKEN_INVALID("无效的 Token"),
    TOKEN_REVOKED("Token 已注销，请重新登录"),
    TOKEN_MISSING("缺少 Token，请先登录"),
    TOKEN_MISSING_OR_INVALID("缺少或无效的 Token"),

    // Login, logout and the own status: the SIP registration behind a login.
    LOGIN_SUCCEEDED("登录成功"),
    LOGOUT_SUCCEEDED("注销成功"),
    STATUS_UPDATED("状态已更新"),
    STATUS_MESSAGE_TOO_LONG("状态消息过长"),
    SIP_URI_MALFORMED("SIP URI 格式错误"),
    LOCAL_ADDRESS_INVALID("本地地址错误"),
    LOCAL_ADDRESS_UNUSABLE("无法使用本地地址 %s"),
    SIP_SERVICE_UNAVAILABLE("SIP 服务暂不可用，请稍后重试"),
    REGISTRATION_FAILED("SIP 注册失败"),
    REGISTRATION_FAILED_BECAUSE("SIP 注册失败：%s"),
    REGISTRATION_CREDENTIALS_REJECTED("SIP 注册失败：认证错误"),
    REGISTRATION_SERVER_SILENT("SIP 注册失败：SIP 服务器无响应"),
    REGISTRATION_EXPIRED_LOGIN_AGAIN("SIP 注册已失效，请重新登录"),
    TOO_MANY_LOGIN_ATTEMPTS("登录失败次数过多，请稍后重试"),
    SIP_PROTOCOL_ERROR("SIP 协议错误"),

    // Users.
    USER_NOT_FOUND("用户不存在"),

    // SIP configuration.
    SIP_CONFIG_INVALID("SIP 配置无效"),
    CONFIG_UPDATED_AFTER_RESTART("配置已更新，重启后生效"),

    // Reaching the other party: shared by calls and messages.
    USER_OFFLINE("用户离线"),

    // Calls: placing, answering, declining and ending a call, its SDP and ICE candidates.
    CALL_PLACED("呼叫已发起"),
    CALL_CONNECTED("通话已接通"),
    CALL_DECLINED("已拒绝呼叫"),
    CALL_ENDED("通话已结束"),
    CALL_ALREADY_ANSWERED("通话已接听"),
    CALL_NOT_FOUND("通话不存在"),
    CALL_NOT_FOUND_OR_ENDED("通话不存在或已结束"),
    CALL_TARGET_MALFORMED("呼叫目标格式错误"),
    VIDEO_OFFER_WITHOUT_VIDEO("视频通话的 SDP 缺少视频媒体行"),
    ONLY_CALLEE_ANSWERS("只有被叫可以接听"),
    ONLY_CALLEE_DECLINES("只有被叫可以拒绝"),
    CALL_NOT_RINGING_ANSWER("通话不在振铃状态，无法接听"),
    CALL_NOT_RINGING_DECLINE("通话不在振铃状态，无法拒绝"),
    CALL_NOT_RINGING_CONNECT("通话不在振铃状态，无法接通"),
    CALL_NOT_RINGING_CANCEL("通话不在振铃状态，无法取消"),
    CALL_NOT_ACTIVE_HANGUP("通话未接通，无法挂断"),
    CALL_NOT_ACTIVE_DTMF("通话未接通，无法发送按键"),
    DTMF_SENT("按键已发送"),
    DTMF_MALFORMED("按键格式错误"),
    CALLEE_BUSY("对方忙碌"),
    CALL_REJECTED("呼叫被拒绝"),
    CALL_FAILED_SIP_STATUS("呼叫失败：SIP %s"),
    INVITE_NOT_CREATED("无法创建 INVITE"),
    CALL_NOT_SENT("呼叫发送失败"),
    SIP_PROCESSING_FAILED("SIP 处理失败"),
    SIP_PROCESSING_TIMEOUT("SIP 处理超时"),
    SDP_MALFORMED("SDP 格式错误"),
    SDP_NOT_ACCEPTED("对方不接受该 SDP"),
    MEDIA_NOT_COMPATIBLE("对方的媒体格式与浏览器不兼容，且未配置媒体中继"),
    MEDIA_RELAY_FAILED("媒体中继（rtpengine）不可用，无法建立呼叫"),
    ICE_CANDIDATE_WITHOUT_CALL_ID("ICE_CANDIDATE 缺少 callId"),
    ICE_CANDIDATE_MALFORMED("ICE candidate 格式错误"),
    ICE_CANDIDATE_TOO_LONG("ICE candidate 过长"),

    // Events socket: frames a client sends.
    EVENT_UNPARSEABLE("无法解析的消息"),
    EVENT_TYPE_NOT_SUPPORTED("不支持的消息类型：%s"),

    // Messaging: sending and reading messages and conversations.
    MESSAGE_SENT("消息已发送"),
    MESSAGE_MALFORMED("消息格式错误"),
    MESSAGE_TYPE_NOT_SUPPORTED("暂不支持该消息类型：%s"),
    MESSAGE_NOT_FOUND("消息不存在"),
    MARKED_READ("已标记为已读"),
    ONLY_RECIPIENT_MARKS_READ("只有接收者可以标记消息为已读"),
    CONVERSATION_FORBIDDEN("无权访问该会话");

    private final String text;

    UserText(String text) {
        this.text = text;
    }

    /** The text as it is; for a text with a variable part, its template (use {@link #format}). */
    public String text() {
        return text;
    }

    /**
     * The text with its {@code %s} filled by {@code args}, each as {@link String#valueOf(Object)} would
     * write it: the same string as the text's prefix concatenated with the value.
     */
    public String format(Object... args) {
        return String.format(Locale.ROOT, text, args);
    }
}
