package io.sipgw.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.ErrorPageServlet;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Date;

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
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7).trim());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier(TokenKeys.get().publicKey()))) {
                return ErrorCode.INVALID_TOKEN;
            }
            Date exp = jwt.getJWTClaimsSet().getExpirationTime();
            return exp != null && exp.before(new Date()) ? ErrorCode.TOKEN_EXPIRED : ErrorCode.INVALID_TOKEN;
        } catch (Exception e) {
            return ErrorCode.INVALID_TOKEN;
        }
    }
}
