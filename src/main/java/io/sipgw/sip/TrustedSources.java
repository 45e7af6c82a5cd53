package io.sipgw.sip;

import gov.nist.javax.sip.message.SIPMessage;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sip.message.Request;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may send a logged-in user an out-of-dialog request (MESSAGE, INVITE, CANCEL): the SIP server the
 * user registered with (the host of the user's next hop: outbound proxy, stored SIP server, or the SIP
 * URI's host), the embedded SIP server when it is enabled (its {@code sipgw.registrar.host}), and the
 * hops listed in {@code sipgw.sip.trusted-hops}. The source is the packet's address, never what Via or
 * From claim. The Contact user the Request-URI names is no secret (it shows in every 180 and INVITE), so
 * without this anyone who can reach the gateway's SIP port could speak as anyone. Host names are resolved
 * through the JVM's address cache.
 */
@ApplicationScoped
public class TrustedSources {

    private static final Logger LOG = Logger.getLogger(TrustedSources.class.getName());

    @Inject
    SipUserAgent agent;

    /**
     * Comma separated. Read as a String and split here: Payara 6.2025.10's MicroProfile Config producer
     * fails with a ClassCastException on {@code Optional<List<String>>} at injection.
     */
    @Inject
    @ConfigProperty(name = "sipgw.sip.trusted-hops")
    Optional<String> configuredHops;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.enabled", defaultValue = "false")
    boolean embeddedServer;

    @Inject
    @ConfigProperty(name = "sipgw.registrar.host", defaultValue = "127.0.0.1")
    String embeddedServerHost;

    @Inject
    @ConfigProperty(name = "sipgw.sip.host")
    String userAgentHost;

    /** The configured hops plus the embedded server's address; the recipient's server is added per request. */
    private List<String> alwaysTrusted;

    @PostConstruct
    void init() {
        List<String> configured = configuredHops.map(hops -> List.of(hops.split(","))).orElse(List.of());
        alwaysTrusted = alwaysTrusted(configured, embeddedServer, embeddedServerHost, userAgentHost);
        LOG.info(() -> "SIP requests for logged-in users are accepted from their SIP server"
                + (alwaysTrusted.isEmpty() ? "" : " and from " + String.join(", ", alwaysTrusted)));
    }

    /**
     * True when {@code request} came from the recipient's SIP server or another trusted hop. Public: callers
     * hold a CDI client proxy, and a package-private method called through it ran on the proxy's own
     * uninitialised fields (every request answered 500).
     */
    public boolean allows(Request request, Registration recipient) {
        InetAddress source = request instanceof SIPMessage message ? message.getRemoteAddress() : null;
        return allows(source, agent.requests().nextHopHost(recipient.aor()), alwaysTrusted);
    }

    /**
     * The hops trusted for every user: the configured ones, and the embedded SIP server when enabled. An
     * embedded server bound to every interface sends to the user agent from the user agent's own address.
     */
    static List<String> alwaysTrusted(List<String> configured, boolean embeddedServer, String embeddedServerHost,
            String userAgentHost) {
        List<String> hops = new ArrayList<>();
        configured.stream().map(String::trim).filter(h -> !h.isEmpty()).forEach(hops::add);
        if (embeddedServer) {
            boolean wildcard = isWildcard(embeddedServerHost);
            hops.add(wildcard ? userAgentHost.trim() : embeddedServerHost.trim());
        }
        return List.copyOf(hops);
    }

    /** True when {@code source} is an address of {@code serverHost} or of one of {@code trustedHops}. */
    static boolean allows(InetAddress source, String serverHost, List<String> trustedHops) {
        if (source == null) {
            return false;
        }
        return matches(source, serverHost) || trustedHops.stream().anyMatch(hop -> matches(source, hop));
    }

    private static boolean matches(InetAddress source, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String bare = host.trim();
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        try {
            return Arrays.asList(InetAddress.getAllByName(bare)).contains(source);
        } catch (UnknownHostException e) {
            LOG.fine(() -> "trusted hop " + host + " does not resolve");
            return false;
        }
    }

    private static boolean isWildcard(String host) {
        String h = host.trim();
        return h.isEmpty() || h.equals("0.0.0.0") || h.equals("::") || h.equals("[::]");
    }
}
