package io.sipgw.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The SIP configuration in force for clients: each stored setting, else the default derived from the
 * gateway's MicroProfile Config (the embedded server's address when it runs, else the outbound proxy).
 */
@ApplicationScoped
public class SipConfiguration {

    @Inject
    SipSettingsStore store;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.enabled")
    boolean registrarEnabled;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.host")
    String registrarHost;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.port")
    int registrarPort;

    @Inject
    @ConfigProperty(name = "sipgw.sip.outbound-proxy")
    Optional<String> outboundProxy;

    @Inject
    @ConfigProperty(name = "sipgw.sip.transport")
    String transport;

    @Inject
    @ConfigProperty(name = "sipgw.sip.register-expires")
    int registerExpires;

    public SipConfigView current() {
        SipConfigView defaults = defaults();
        return store.find()
                .map(s -> new SipConfigView(
                        s.sipServer() != null ? s.sipServer() : defaults.sipServer(),
                        s.transport() != null ? s.transport() : defaults.transport(),
                        s.expires() != null ? s.expires() : defaults.expires(),
                        s.outboundProxy() != null ? s.outboundProxy() : defaults.outboundProxy(),
                        s.stunServer(),
                        s.turnServer()))
                .orElse(defaults);
    }

    SipConfigView defaults() {
        String proxy = outboundProxy.map(String::trim).filter(p -> !p.isEmpty()).orElse(null);
        String server = registrarEnabled ? hostPort(registrarHost, registrarPort) : proxy;
        return new SipConfigView(server, transport.trim().toUpperCase(Locale.ROOT), registerExpires, proxy, null, null);
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
