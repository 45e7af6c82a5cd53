package io.sipgw;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The REST application at {@code /api}. Its callers present MicroProfile JWT bearer tokens, checked by
 * {@code io.sipgw.auth.TokenFilter} rather than the container's MP-JWT mechanism ({@code @LoginConfig}),
 * which would verify every token's signature on every request and run for static files too. Its OpenAPI
 * document is {@code io.sipgw.operations.ApiDocument}.
 */
@ApplicationPath("api")
@DeclareRoles({"user", "admin"})
public class JaxRsActivator extends Application {
}
