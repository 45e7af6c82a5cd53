package io.sipgw;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The REST application at {@code /api}, secured by MicroProfile JWT. It must be a CDI bean for Payara to
 * honour {@link LoginConfig}. Its OpenAPI document is {@code io.sipgw.operations.ApiDocument}.
 */
@ApplicationScoped
@ApplicationPath("api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({"user", "admin"})
public class JaxRsActivator extends Application {
}
