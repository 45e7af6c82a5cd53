package io.sipgw.testing;

import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the integration tests: the real WAR deployed on Payara Micro by Arquillian (one server per
 * test class), a REST client for it, and the SIP URIs of the test accounts at the SIP server under test:
 * the embedded one by default, Kamailio in the {@code kamailio} profile ({@code it.sipserver.port}).
 */
@ExtendWith(ArquillianExtension.class)
public abstract class GatewayIT {

    /** How long a test waits for an event it expects. */
    protected static final Duration WAIT = Duration.ofSeconds(10);

    protected final Api api = Api.forTestServer();
    /** Port of the embedded SIP server (switched off in the kamailio profile). */
    protected final int registrarPort = Integer.getInteger("it.registrar.port");
    /** Port of the SIP server the test users register to: the embedded one, or Kamailio. */
    protected final int sipServerPort = Integer.getInteger("it.sipserver.port", registrarPort);

    @Deployment(testable = false)
    public static WebArchive deployment() {
        return GatewayDeployment.war();
    }

    /** {@code sip:user@127.0.0.1:port} of a test account at the SIP server under test. */
    protected String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + sipServerPort;
    }
}
