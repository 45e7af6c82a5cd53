package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Decides where a request goes (RFC 3261 section 16.5), after this server's own Route entries were
 * removed from it:
 * <ul>
 *   <li>a Request-URI in our domain with a user, outside a dialog: that user's most recent contact; 404
 *       when the user has no account, 480 when the user has no live binding (the sender proved who it is
 *       before this is decided, see {@link SenderCheck});</li>
 *   <li>the same within a dialog (a To tag): 404, as Kamailio's {@code route[WITHINDLG]} answers an
 *       in-dialog request it cannot loose-route: a dialog's requests go to the peer's contact, and a To
 *       tag must not be a way around the sender check;</li>
 *   <li>a Request-URI in our domain without a user: this server itself;</li>
 *   <li>any other Request-URI: forwarded unchanged if the request belongs to a dialog (it has a To tag)
 *       and was routed through us, as within a dialog we record-routed; otherwise refused with 403, since
 *       this is no open relay;</li>
 *   <li>a non-SIP Request-URI: 416.</li>
 * </ul>
 */
final class TargetResolver {

    private final ServerIdentity identity;
    private final Map<String, Account> accountsByUser;
    private final LocationService locations;
    private final AddressFactory addresses;

    TargetResolver(ServerIdentity identity, Map<String, Account> accountsByUser, LocationService locations,
            AddressFactory addresses) {
        this.identity = identity;
        this.accountsByUser = accountsByUser;
        this.locations = locations;
        this.addresses = addresses;
    }

    /**
     * @param routedToUs the request carried a Route naming this server (now removed)
     */
    Target resolve(Request request, boolean routedToUs) throws ParseException {
        if (!(request.getRequestURI() instanceof SipURI uri)) {
            return new Target.Reject(Response.UNSUPPORTED_URI_SCHEME, "Unsupported URI Scheme");
        }
        if (identity.servesDomainOf(uri)) {
            if (uri.getUser() == null) {
                return new Target.Server();
            }
            if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
                return new Target.Reject(Response.NOT_FOUND, "Not Here");
            }
            return locate(uri.getUser());
        }
        if (routedToUs && ((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            return new Target.Forward(uri);
        }
        return new Target.Reject(Response.FORBIDDEN, "Relaying Not Allowed");
    }

    private Target locate(String user) throws ParseException {
        if (!accountsByUser.containsKey(user)) {
            return new Target.Reject(Response.NOT_FOUND, "Not Found");
        }
        Optional<Binding> binding = locations.mostRecent(user);
        if (binding.isEmpty()) {
            return new Target.Reject(Response.TEMPORARILY_UNAVAILABLE, "Temporarily Unavailable");
        }
        return new Target.Forward(addresses.createURI(binding.get().contactUri()));
    }
}
