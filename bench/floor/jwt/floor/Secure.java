package floor;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** A resource that needs a token: the caller's name, as GET /api/auth/profile starts. */
@Path("secure")
@ApplicationScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
public class Secure {

    @Inject
    JsonWebToken jwt;

    public record Caller(boolean success, String name) {
    }

    @GET
    public Caller caller() {
        return new Caller(true, jwt.getName());
    }
}
