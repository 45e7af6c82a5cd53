package floor;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The empty WAR: JAX-RS at /api, no authentication mechanism. */
@ApplicationPath("api")
public class PlainApp extends Application {
}
