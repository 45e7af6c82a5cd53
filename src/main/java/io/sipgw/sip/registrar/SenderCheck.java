package io.sipgw.sip.registrar;

import java.text.ParseException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Decides who may send an out-of-dialog request through the proxy, as {@code route[AUTH]} of
 * {@code server-config/kamailio/kamailio.cfg} does with {@code WITH_REQUEST_AUTH}:
 * <ul>
 *   <li>a From in this server's domain (or naming its address; the port does not matter) must be proven:
 *       407 with a Proxy-Authenticate challenge, then Proxy-Authorization checked against that user's HA1,
 *       and the authenticated user must be the From user (403 otherwise);</li>
 *   <li>any other From follows the {@link ForeignRequests} policy: 403 by default.</li>
 * </ul>
 * Whether the target user exists is decided only after this, so without credentials every user of the
 * domain looks the same.
 */
final class SenderCheck {

    private final ServerIdentity identity;
    private final DigestAuthenticator authenticator;
    private final ForeignRequests foreignRequests;
    private final SipFactories sip;

    SenderCheck(ServerIdentity identity, DigestAuthenticator authenticator, ForeignRequests foreignRequests,
            SipFactories sip) {
        this.identity = identity;
        this.authenticator = authenticator;
        this.foreignRequests = foreignRequests;
        this.sip = sip;
    }

    /**
     * @param source the address the request came from, for the throttle
     * @return null when the request may go on; otherwise the answer refusing or challenging it
     */
    Response refusal(Request request, String source) throws ParseException {
        URI from = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI();
        if (from instanceof SipURI fromUri && identity.isOwnHost(fromUri.getHost())) {
            DigestAuthenticator.Role proxy = DigestAuthenticator.Role.PROXY;
            return switch (authenticator.verify(request, proxy, fromUri.getUser(), source)) {
                case AUTHORIZED -> null;
                case CHALLENGE -> authenticator.challenge(request, proxy, false);
                case STALE -> authenticator.challenge(request, proxy, true);
                case FORBIDDEN, LOCKED -> sip.response(request, Response.FORBIDDEN);
                case MALFORMED -> sip.response(request, Response.BAD_REQUEST, "Malformed Credentials");
            };
        }
        return foreignRequests == ForeignRequests.ACCEPT ? null
                : sip.response(request, Response.FORBIDDEN, "Foreign Senders Not Accepted");
    }

    /** Removes this realm's credentials from a request about to be forwarded. */
    void consumeCredentials(Request outgoing) {
        authenticator.consumeCredentials(outgoing);
    }
}
