package io.sipgw.operations;

import io.sipgw.cluster.Cluster;
import io.sipgw.sip.SipUserAgent;
import io.sipgw.sip.registrar.EmbeddedSipServer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness (MicroProfile Health, {@code /health/ready}): up when the gateway's SIP user agent listens,
 * the database answers and, when enabled, the embedded SIP server runs. In a cluster it also names the
 * members this instance sees ({@code clusterMembers}), informational: a member alone is still ready.
 */
@Readiness
@ApplicationScoped
public class GatewayHealth implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(GatewayHealth.class.getName());

    @Inject
    SipUserAgent agent;

    @Inject
    EmbeddedSipServer embeddedServer;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.enabled")
    boolean registrarEnabled;

    @Inject
    Cluster cluster;

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    @Override
    public HealthCheckResponse call() {
        boolean sip = agent.isListening();
        boolean database = databaseAnswers();
        boolean registrar = !registrarEnabled || embeddedServer.isRunning();
        var response = HealthCheckResponse.named("sipgw")
                .status(sip && database && registrar)
                .withData("sipUserAgent", sip ? "listening" : "down")
                .withData("database", database ? "up" : "down")
                .withData("embeddedSipServer", !registrarEnabled ? "disabled" : registrar ? "running" : "down");
        if (cluster.enabled()) {
            response.withData("clusterMembers", String.join(" ", cluster.members()));
        }
        return response.build();
    }

    private boolean databaseAnswers() {
        try {
            return em.createNativeQuery("VALUES (1)").getSingleResult() != null;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The database does not answer", e);
            return false;
        }
    }
}
