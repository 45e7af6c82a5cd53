package io.sipgw.sip;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who may send a logged-in user an out-of-dialog request (MESSAGE, INVITE, ...): the SIP server the user
 * registered with (the host of the user's next hop: outbound proxy, stored SIP server, or the SIP URI's
 * host), plus the hops listed in {@code sipgw.sip.trusted-hops}. The Contact user the Request-URI names
 * is no secret (it shows in every 180), so without this anyone who can reach the gateway's SIP port
 * could speak as anyone. Host names are resolved through the JVM's address cache.
 */
@ApplicationScoped
public class TrustedSources {

    private static final Logger LOG = Logger.getLogger(TrustedSources.class.getName());

    @Inject
    SipUserAgent agent;

    @Inject
    @ConfigProperty(name = "sipgw.sip.trusted-hops")
    Optional<List<String>> configuredHops;

    /** True when {@code source} is the recipient's SIP server or a configured trusted hop. */
    boolean allows(InetAddress source, Registration recipient) {
        if (source == null) {
            return false;
        }
        if (matches(source, agent.requests().nextHopHost(recipient.aor()))) {
            return true;
        }
        return configuredHops.orElse(List.of()).stream().anyMatch(hop -> matches(source, hop.trim()));
    }

    private static boolean matches(InetAddress source, String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return Arrays.asList(InetAddress.getAllByName(bare)).contains(source);
        } catch (UnknownHostException e) {
            LOG.fine(() -> "trusted hop " + host + " does not resolve");
            return false;
        }
    }
}
