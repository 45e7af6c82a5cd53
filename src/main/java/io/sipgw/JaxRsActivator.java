package io.sipgw;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The REST application at {@code /api}. Its callers present MicroProfile JWT bearer tokens, checked by
 * {@code io.sipgw.auth.TokenFilter} rather than the container's MP-JWT mechanism ({@code @LoginConfig}),
 * which would verify every token's signature on every request and run for static files too. Its OpenAPI
 * document ({@code GET /openapi}) is Payara's scan of the annotations here and on the resources and records,
 * with the envelopes added by {@code io.sipgw.operations.ApiEnvelopes}.
 */
@ApplicationPath("api")
@DeclareRoles({"user", "admin"})
@SecurityScheme(securitySchemeName = "bearerJwt", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The token of POST /api/auth/login: Authorization: Bearer <token>")
@OpenAPIDefinition(info = @Info(title = "sipgw", version = "1.0", description = """
        SIP gateway REST API (contract: api-v1.md; choices where it is silent: README, API notes).

        Every answer is the JSON envelope `{success, data, error, message, timestamp}` (null members left out): \
        a success has `success: true`, the operation's `data` where it has one, sometimes a `message`, and \
        `timestamp` (ISO-8601 UTC); an error has `success: false`, `error: {code, message, details}` \
        (`details` maps a field to what is wrong with it) and `timestamp`. Each operation lists the error \
        codes it answers under their HTTP status. Besides those, any request can get `404 NOT_FOUND` \
        (unknown path), `405 METHOD_NOT_ALLOWED` or `415 UNSUPPORTED_MEDIA_TYPE`.

        Authentication: `POST /api/auth/login` returns a token (RS256 JWT); every other operation needs \
        `Authorization: Bearer <token>`. A missing, malformed or logged-out token is `401 INVALID_TOKEN`, \
        an expired one `401 TOKEN_EXPIRED`. Operations for admins only answer `403 FORBIDDEN` to others.

        WebSocket (not an OpenAPI operation): `GET /ws/events?token=<token>` upgrades to a socket of JSON \
        frames `{type, timestamp, data}`. Server events: MESSAGE_RECEIVED, MESSAGE_STATUS_UPDATED, \
        INCOMING_CALL, CALL_STATE_CHANGED, ICE_CANDIDATE_RECEIVED, USER_STATUS_CHANGED. Client frames: \
        PING (answered PONG), ICE_CANDIDATE `{callId, candidate: {candidate, sdpMLineIndex, sdpMid}}`; a \
        bad frame gets an ERROR frame with the error object. A bad or expired token closes the socket at \
        once with code 1008 and the error code as reason. See the extension `x-websocket`."""),
        extensions = @Extension(name = "x-websocket", parseValue = true, value = """
                {"path": "/ws/events", "query": {"token": "the token of POST /api/auth/login"},
                 "frame": "{type, timestamp, data}",
                 "serverEvents": ["MESSAGE_RECEIVED", "MESSAGE_STATUS_UPDATED", "INCOMING_CALL", "CALL_STATE_CHANGED",
                                  "ICE_CANDIDATE_RECEIVED", "USER_STATUS_CHANGED", "PONG", "ERROR"],
                 "clientFrames": ["PING", "ICE_CANDIDATE"],
                 "closeCodes": {"1000": "logout of the socket's token", "1008": "bad or expired token (reason: error code)",
                                "1009": "frame over 64 KiB"}}"""))
public class JaxRsActivator extends Application {
}
