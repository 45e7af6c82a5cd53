package floor;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The cheapest JSON resource: a record through JSON-B, as the gateway's envelope is. */
@Path("ping")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
public class Ping {

    public record Pong(boolean success, String message) {
    }

    @GET
    public Pong ping() {
        return new Pong(true, "pong");
    }
}
