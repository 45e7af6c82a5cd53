package io.sipgw.auth;

import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.ErrorPageServlet;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The container's 401 page (web.xml): MicroProfile JWT rejects a bad token before JAX-RS runs, so this
 * servlet tells the client in the spec's envelope whether the token expired (a genuine token past its
 * {@code exp}: TOKEN_EXPIRED) or is not acceptable at all (INVALID_TOKEN).
 */
@WebServlet(name = "TokenError", urlPatterns = "/token-error")
public class TokenErrorServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ErrorCode code = classify(req.getHeader("Authorization"));
        String message = code == ErrorCode.TOKEN_EXPIRED ? "Token 已过期，请重新登录" : "无效的 Token";
        ErrorPageServlet.write(resp, code.httpStatus(), ApiResponse.failure(code, message, null));
    }

    static ErrorCode classify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return ErrorCode.INVALID_TOKEN;
        }
        // a token good in every respect but rejected by the container is not ours to accept: INVALID
        ErrorCode problem = TokenVerifier.classify(authorization.substring(7), null, TokenKeys.get().publicKey());
        return problem == null ? ErrorCode.INVALID_TOKEN : problem;
    }
}
