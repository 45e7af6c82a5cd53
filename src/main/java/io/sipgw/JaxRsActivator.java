package io.sipgw;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;

/**
 * The REST application at {@code /api}, secured by MicroProfile JWT. It must be a CDI bean for Payara to
 * honour {@link LoginConfig}.
 */
@ApplicationScoped
@ApplicationPath("api")
@LoginConfig(authMethod = "MP-JWT")
@DeclareRoles({"user", "admin"})
@OpenAPIDefinition(info = @Info(title = "sipgw", version = "1.0",
        description = "SIP gateway REST API (contract: api-v1.md); every answer is the {success, data, error, message, timestamp} envelope"))
public class JaxRsActivator extends Application {
}
