package io.sipgw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The catalogue of user-facing texts: one constant per wording (so a repeated literal cannot creep back),
 * none blank, and the texts with a variable part give exactly the strings the API gave before the catalogue.
 */
class UserTextTest {

    @Test
    void noTwoConstantsHoldTheSameText() {
        Map<String, UserText> seen = new HashMap<>();
        List<String> repeats = new ArrayList<>();
        for (UserText t : UserText.values()) {
            UserText earlier = seen.putIfAbsent(t.text(), t);
            if (earlier != null) {
                repeats.add(earlier + " and " + t + ": " + t.text());
            }
        }
        assertTrue(repeats.isEmpty(), "texts held twice: " + repeats);
    }

    @ParameterizedTest
    @EnumSource(UserText.class)
    void noTextIsBlank(UserText t) {
        assertFalse(t.text().isBlank(), t.name());
        assertFalse(t.text().replace("%s", "").isBlank(), t.name());
    }

    @ParameterizedTest
    @EnumSource(UserText.class)
    void aTextHasAtMostOneVariablePartAndNoOtherFormatDirective(UserText t) {
        String rest = t.text().replaceFirst("%s", "");
        assertFalse(rest.contains("%"), t.name());
    }

    @Test
    void variablePartsGiveTheSameStringsAsConcatenation() {
        assertEquals("呼叫失败：SIP " + 500, UserText.CALL_FAILED_SIP_STATUS.format(500));
        assertEquals("无法使用本地地址 " + "127.0.0.1:5070", UserText.LOCAL_ADDRESS_UNUSABLE.format("127.0.0.1:5070"));
        assertEquals("SIP 注册失败：" + "403 Forbidden", UserText.REGISTRATION_FAILED_BECAUSE.format("403 Forbidden"));
        assertEquals("请求参数错误：" + "page", UserText.INVALID_REQUEST_FIELD.format("page"));
        assertEquals("不支持的消息类型：" + "FOO", UserText.EVENT_TYPE_NOT_SUPPORTED.format("FOO"));
        assertEquals("暂不支持该消息类型：" + "FILE", UserText.MESSAGE_TYPE_NOT_SUPPORTED.format("FILE"));
        assertEquals("SIP 注册失败：" + null, UserText.REGISTRATION_FAILED_BECAUSE.format((Object) null));
        assertEquals("不支持的消息类型：" + "100%s", UserText.EVENT_TYPE_NOT_SUPPORTED.format("100%s"));
    }

    @Test
    void errorCodesKeepTheirDefaultMessages() {
        assertEquals("认证失败", ErrorCode.AUTH_FAILED.defaultMessage());
        assertEquals("Token 过期", ErrorCode.TOKEN_EXPIRED.defaultMessage());
        assertEquals("无效的 Token", ErrorCode.INVALID_TOKEN.defaultMessage());
        assertEquals("无权限访问", ErrorCode.FORBIDDEN.defaultMessage());
        assertEquals("资源不存在", ErrorCode.NOT_FOUND.defaultMessage());
        assertEquals("用户离线", ErrorCode.USER_OFFLINE.defaultMessage());
        assertEquals("对方忙碌", ErrorCode.CALL_BUSY.defaultMessage());
        assertEquals("呼叫被拒绝", ErrorCode.CALL_REJECTED.defaultMessage());
        assertEquals("SDP 格式错误", ErrorCode.INVALID_SDP.defaultMessage());
        assertEquals("请求参数错误", ErrorCode.VALIDATION_ERROR.defaultMessage());
        assertEquals("当前状态不允许该操作", ErrorCode.INVALID_STATE.defaultMessage());
        assertEquals("不支持的请求方法", ErrorCode.METHOD_NOT_ALLOWED.defaultMessage());
        assertEquals("不支持的媒体类型", ErrorCode.UNSUPPORTED_MEDIA_TYPE.defaultMessage());
        assertEquals("服务器内部错误", ErrorCode.SERVER_ERROR.defaultMessage());
        assertEquals("SIP 协议错误", ErrorCode.SIP_ERROR.defaultMessage());
    }
}
