package io.sipgw.config;

import io.sipgw.sip.Registrations;
import io.sipgw.sip.SipUserAgent;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * "Effective after a restart" ({@link io.sipgw.api.UserText#CONFIG_UPDATED_AFTER_RESTART}): at start, the SIP
 * settings an administrator stored with PUT /config/sip become the gateway's own: the transport and next hop
 * (outbound proxy, else SIP server) of its SIP user agent and the registration lifetime it asks for. A stored
 * value the user agent cannot use (TLS) is logged and skipped; the configured one stays. STUN/TURN servers are
 * for clients only.
 */
@Singleton
@Startup
@DependsOn({"SipUserAgent", "Registrations"})
public class SipSettingsAtStart {

    private static final Logger LOG = Logger.getLogger(SipSettingsAtStart.class.getName());

    @Inject
    SipSettingsStore store;

    @Inject
    SipUserAgent agent;

    @Inject
    Registrations registrations;

    // not named like apply(SipSettings): the container finds lifecycle methods by name and may pick the overload
    @PostConstruct
    void applyStoredSettings() {
        store.find().ifPresent(this::apply);
    }

    private void apply(SipSettings stored) {
        if (stored.transport() != null) {
            try {
                agent.useTransport(stored.transport());
            } catch (IllegalArgumentException e) {
                LOG.warning(() -> "Stored SIP transport " + stored.transport() + " is not supported by the gateway's SIP user agent ("
                        + e.getMessage() + "); keeping the configured one (sipgw.sip.transport)");
            }
        }
        agent.useNextHop(stored.outboundProxy(), stored.sipServer());
        if (stored.expires() != null) {
            registrations.applyStoredExpires(stored.expires());
        }
        LOG.info(() -> "Stored SIP settings applied: " + agent.routing()
                + (stored.expires() == null ? "" : ", registrations of " + stored.expires() + " s"));
    }
}
