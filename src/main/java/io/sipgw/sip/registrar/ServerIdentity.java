package io.sipgw.sip.registrar;

import java.text.ParseException;
import java.util.Locale;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;

/**
 * Who this server is: the address it listens on and the domain it serves. Answers "is this URI us?" and
 * "is this URI in our domain?", and builds the Record-Route that keeps us on a dialog's path.
 */
record ServerIdentity(String host, int port, String domain) {

    /** The URI names this server itself: its host or domain, and its port. */
    boolean addressesUs(SipURI uri) {
        return (uri.getHost().equalsIgnoreCase(host) || isDomain(uri.getHost())) && effectivePort(uri) == port;
    }

    /** The URI is in the domain we serve: the domain without a port or with ours, or our own address. */
    boolean servesDomainOf(SipURI uri) {
        return (isDomain(uri.getHost()) && (uri.getPort() == -1 || uri.getPort() == port)) || addressesUs(uri);
    }

    boolean isDomain(String host) {
        return domain.equalsIgnoreCase(host);
    }

    /** The host is our domain or our own address (whatever the port): a From naming it claims to be one of our users. */
    boolean isOwnHost(String host) {
        return isDomain(host) || this.host.equalsIgnoreCase(host);
    }

    /** {@code sip:host:port;transport=...;lr}, for a Record-Route or Route towards this server. */
    SipURI routeUri(AddressFactory addresses, String transport) throws ParseException {
        SipURI uri = addresses.createSipURI(null, host);
        uri.setPort(port);
        uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
        uri.setLrParam();
        return uri;
    }

    private static int effectivePort(SipURI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.isSecure() ? 5061 : 5060;
    }
}
