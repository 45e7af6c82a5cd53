package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UserAgentHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Answers REGISTER for the domain (RFC 3261 section 10.3): checks that the address of record is an
 * account of the domain, demands digest credentials, and adds, refreshes or removes the bindings in the
 * {@link LocationService}.
 *
 * <p>Answers: 401 with a challenge when credentials are missing or the nonce is not ours (stale=true
 * when it expired or its nonce count was used), 403 for a wrong password, another user's credentials, a
 * user without an account or a locked user or address, 403 for a foreign domain, 400 for malformed
 * credentials, Contacts or an out-of-order CSeq, and 200 listing the current contacts with their
 * remaining seconds. A user without an account gets the same 401 as one with: only credentials tell them
 * apart, and then only to whoever has the password.
 */
final class Registrar {

    private static final Logger LOG = Logger.getLogger(Registrar.class.getName());

    private final ServerIdentity identity;
    private final Map<String, Account> accountsByUser;
    private final LocationService locations;
    private final DigestAuthenticator authenticator;
    private final SipFactories sip;
    private final int maxExpiresSeconds;
    private final Clock clock;

    /** The product token the gateway's user agent puts in User-Agent ({@code io.sipgw.sip.RequestBuilder}). */
    static final String GATEWAY_PRODUCT = "sipgw";

    Registrar(ServerIdentity identity, Map<String, Account> accountsByUser, LocationService locations,
            DigestAuthenticator authenticator, SipFactories sip, Duration maxExpires, Clock clock) {
        this.identity = identity;
        this.accountsByUser = accountsByUser;
        this.locations = locations;
        this.authenticator = authenticator;
        this.sip = sip;
        this.maxExpiresSeconds = (int) maxExpires.toSeconds();
        this.clock = clock;
    }

    /** @param source the address the REGISTER came from */
    void register(ServerTransaction st, Request request, String source)
            throws ParseException, SipException, InvalidArgumentException {
        st.sendResponse(answer(request, source));
    }

    private Response answer(Request request, String source) throws ParseException, InvalidArgumentException {
        if (!(request.getRequestURI() instanceof SipURI requestUri) || !identity.servesDomainOf(requestUri)) {
            return sip.response(request, Response.FORBIDDEN, "Domain Not Served");
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (!(to.getAddress().getURI() instanceof SipURI aor) || aor.getUser() == null) {
            return sip.response(request, Response.BAD_REQUEST, "To Is Not a SIP Address of Record");
        }
        if (!identity.isDomain(aor.getHost())) {
            return sip.response(request, Response.FORBIDDEN, "Domain Not Served");
        }
        return switch (authenticator.verify(request, DigestAuthenticator.Role.REGISTRAR, aor.getUser(), source)) {
            case CHALLENGE -> authenticator.challenge(request, DigestAuthenticator.Role.REGISTRAR, false);
            case STALE -> authenticator.challenge(request, DigestAuthenticator.Role.REGISTRAR, true);
            case FORBIDDEN, LOCKED -> sip.response(request, Response.FORBIDDEN);
            case MALFORMED -> sip.response(request, Response.BAD_REQUEST, "Malformed Credentials");
            case AUTHORIZED -> updateBindings(request, accountsByUser.get(aor.getUser()));
        };
    }

    private Response updateBindings(Request request, Account account) throws ParseException, InvalidArgumentException {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        ExpiresHeader expiresHeader = request.getExpires();
        List<ContactHeader> contacts = contacts(request);
        try {
            if (contacts.stream().anyMatch(ContactHeader::isWildCard)) {
                if (contacts.size() != 1 || expiresHeader == null || expiresHeader.getExpires() != 0) {
                    return sip.response(request, Response.BAD_REQUEST, "Wildcard Contact Needs Expires 0");
                }
                locations.removeAll(account.user(), callId, cseq);
                LOG.fine(() -> account.addressOfRecord() + " removed all bindings");
            } else if (!contacts.isEmpty()) {
                List<ContactUpdate> updates = new ArrayList<>();
                for (ContactHeader contact : contacts) {
                    updates.add(new ContactUpdate(contact.getAddress().getURI().toString(),
                            expiresSeconds(contact, expiresHeader)));
                }
                locations.register(account.user(), callId, cseq, updates, fromGateway(request));
                LOG.fine(() -> account.addressOfRecord() + " registered " + updates);
            }
        } catch (OutOfOrderRegisterException e) {
            return sip.response(request, Response.BAD_REQUEST, "Invalid CSeq Number");
        }
        return currentBindings(request, account);
    }

    /**
     * Whether the gateway's own user agent sent the REGISTER (an API login), from its {@code User-Agent:
     * sipgw}. A phone that claims it only keeps its own presence from showing: the REGISTER was
     * authenticated as the user already.
     */
    static boolean fromGateway(Request request) {
        UserAgentHeader agent = (UserAgentHeader) request.getHeader(UserAgentHeader.NAME);
        if (agent == null) {
            return false;
        }
        Iterator<?> products = agent.getProduct();
        return products != null && products.hasNext() && GATEWAY_PRODUCT.equals(String.valueOf(products.next()).trim());
    }

    /** The requested lifetime: the contact's expires parameter, else the Expires header, else the maximum. */
    private int expiresSeconds(ContactHeader contact, ExpiresHeader expiresHeader) {
        int requested = contact.getExpires() >= 0 ? contact.getExpires()
                : expiresHeader != null ? expiresHeader.getExpires()
                : maxExpiresSeconds;
        return Math.min(requested, maxExpiresSeconds);
    }

    private Response currentBindings(Request request, Account account) throws ParseException, InvalidArgumentException {
        Response ok = sip.response(request, Response.OK);
        Instant now = clock.instant();
        for (Binding binding : locations.bindings(account.user())) {
            ContactHeader contact = sip.headers().createContactHeader(
                    sip.addresses().createAddress(sip.addresses().createURI(binding.contactUri())));
            contact.setExpires(binding.secondsLeft(now));
            ok.addHeader(contact);
        }
        Calendar date = Calendar.getInstance(TimeZone.getTimeZone("GMT"));
        date.setTimeInMillis(now.toEpochMilli());
        ok.addHeader(sip.headers().createDateHeader(date));
        return ok;
    }

    private static List<ContactHeader> contacts(Request request) {
        List<ContactHeader> contacts = new ArrayList<>();
        for (Iterator<?> it = request.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
            contacts.add((ContactHeader) it.next());
        }
        return contacts;
    }
}
