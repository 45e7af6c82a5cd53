package io.sipgw.sip;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.SipProvider;
import javax.sip.address.Address;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ReasonHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Builds the gateway user agent's requests and responses and decides how they leave: the loose Route to
 * each user's SIP server (or the outbound proxy), the Contact of a registration, this side's Via and the
 * transport it names (UDP or TCP as configured, TCP for a request too large for a datagram). Public only
 * because {@link SipUserAgent#requests()} hands it out through the EJB proxy; its methods are the package's.
 */
public final class RequestBuilder {

    /** RFC 3261 18.1.1: a request larger than this goes over a congestion-controlled transport. */
    static final int UDP_SIZE_LIMIT = 1300;

    private final AddressFactory addressFactory;
    private final HeaderFactory headerFactory;
    private final MessageFactory messageFactory;
    private volatile String transport;
    /** {@code host:port} every request is routed through, or null: then the user's SIP URI decides. */
    private volatile String nextHop;

    RequestBuilder(SipFactory factory, String transport, String nextHop) throws PeerUnavailableException {
        this.addressFactory = factory.createAddressFactory();
        this.headerFactory = factory.createHeaderFactory();
        this.messageFactory = factory.createMessageFactory();
        this.transport = transportOf(transport);
        this.nextHop = nextHop;
    }

    AddressFactory addressFactory() {
        return addressFactory;
    }

    HeaderFactory headerFactory() {
        return headerFactory;
    }

    private static String transportOf(String name) {
        String t = name.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("udp") && !t.equals("tcp")) {
            throw new IllegalArgumentException("the SIP transport must be UDP or TCP, not " + name);
        }
        return t;
    }

    /** See {@link SipUserAgent#useTransport}. */
    void useTransport(String name) {
        transport = transportOf(name);
    }

    /** See {@link SipUserAgent#useNextHop}. */
    void useNextHop(String storedOutboundProxy, String storedSipServer) {
        String hop = storedOutboundProxy != null ? storedOutboundProxy : nextHop != null ? nextHop : storedSipServer;
        nextHop = hop == null || hop.isBlank() ? null : hop.trim();
    }

    /** How requests leave this user agent, for the log. */
    String routing() {
        return "transport " + transport.toUpperCase(Locale.ROOT)
                + (nextHop == null ? ", requests go to each user's SIP server" : ", every request via " + nextHop);
    }

    /** The transport used for requests that fit in a datagram ({@code udp} or {@code tcp}). */
    String transport() {
        return transport;
    }

    /**
     * A new out-of-dialog request on behalf of a registered user: From is the user's address of record
     * (with a fresh tag), To is {@code target}, a new Call-ID, and a loose Route to the user's SIP server
     * (the outbound proxy when one is configured, else the host:port of the user's SIP URI), so the
     * request takes the same path as the user's registration whatever the Request-URI says.
     */
    Request newRequest(Registration registration, String method, SipUri target) throws ParseException, InvalidArgumentException {
        SipURI requestUri = addressFactory.createSipURI(target.user(), target.host());
        if (target.port() != -1) {
            requestUri.setPort(target.port());
        }
        return newRequest(registration.aor(), method, requestUri,
                addressFactory.createAddress(addressFactory.createSipURI(target.user(), target.host())),
                registration.provider().getNewCallId().getCallId(), 1L, Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    Request newRequest(SipUri aor, String method, URI requestUri, Address to, String callId, long cseq, String fromTag)
            throws ParseException, InvalidArgumentException {
        Address from = addressFactory.createAddress(addressFactory.createSipURI(aor.user(), aor.host()));
        Request request = messageFactory.createRequest(requestUri, method,
                headerFactory.createCallIdHeader(callId),
                headerFactory.createCSeqHeader(cseq, method),
                headerFactory.createFromHeader(from, fromTag),
                headerFactory.createToHeader(to, null),
                new ArrayList<>(),
                headerFactory.createMaxForwardsHeader(70));
        request.addHeader(headerFactory.createUserAgentHeader(List.of("sipgw")));
        SipURI route = serverOf(aor);
        route.setLrParam();
        request.addHeader(headerFactory.createRouteHeader(addressFactory.createAddress(route)));
        return request;
    }

    /** A MESSAGE (RFC 3428) with a text/plain body in UTF-8 and the given extension headers. */
    Request newMessage(Registration from, SipUri to, String text, Map<String, String> headers)
            throws ParseException, InvalidArgumentException {
        Request message = newRequest(from, Request.MESSAGE, to);
        ContentTypeHeader type = headerFactory.createContentTypeHeader("text", "plain");
        type.setParameter("charset", "UTF-8");
        message.setContent(text.getBytes(StandardCharsets.UTF_8), type);
        for (var header : headers.entrySet()) {
            message.addHeader(headerFactory.createHeader(header.getKey(), header.getValue()));
        }
        return message;
    }

    /** The Contact of a registered user: unique per registration, so requests to it map back to the user. */
    ContactHeader contactOf(Registration registration) throws ParseException {
        ListeningPoint lp = registration.provider().getListeningPoint(transport);
        SipURI uri = addressFactory.createSipURI(registration.contactUser(), lp.getIPAddress());
        uri.setPort(lp.getPort());
        uri.setTransportParam(transport);
        return headerFactory.createContactHeader(addressFactory.createAddress(uri));
    }

    /** The host of {@code aor}'s next hop: where its requests go, and so where requests for it may come from. */
    public String nextHopHost(SipUri aor) {
        String hop = nextHop;
        if (hop == null) {
            return aor.host();
        }
        try {
            return ((SipURI) addressFactory.createURI("sip:" + hop)).getHost();
        } catch (ParseException e) {
            return aor.host();
        }
    }

    /** The next hop of a user's requests: the outbound proxy or stored SIP server, else their SIP URI's host:port. */
    private SipURI serverOf(SipUri aor) throws ParseException {
        String hop = nextHop;
        if (hop != null) {
            return (SipURI) addressFactory.createURI("sip:" + hop);
        }
        SipURI server = addressFactory.createSipURI(null, aor.host());
        server.setPort(aor.serverPort());
        return server;
    }

    /** A response with a To tag (RFC 3261 8.2.6.2) when the request had none. */
    Response newResponse(int status, Request request) throws ParseException {
        Response response = messageFactory.createResponse(status, request);
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() == null && status > 100) {
            to.setTag(Long.toHexString(ThreadLocalRandom.current().nextLong()));
        }
        return response;
    }

    /** As {@link #newResponse}, with a Reason header (RFC 3326) when {@code reasonText} is set. */
    Response newResponse(int status, Request request, String reasonText) throws ParseException, InvalidArgumentException {
        Response response = newResponse(status, request);
        if (reasonText != null) {
            response.addHeader(reasonHeader(status, reasonText));
        }
        return response;
    }

    /**
     * A Reason header (RFC 3326) with {@code text} as its quoted string: quotes and backslashes are escaped
     * (RFC 3261 25.1 quoted-pair), so a text cannot end the string and add parameters. Control characters
     * are refused before (see {@link SipInput}); any left are dropped here.
     */
    ReasonHeader reasonHeader(int status, String text) throws ParseException, InvalidArgumentException {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            if (!Character.isISOControl(c)) {
                quoted.append(c);
            }
        }
        return headerFactory.createReasonHeader("SIP", status, quoted.append('"').toString());
    }

    /** Sets this side's Via on a request about to leave through {@code provider}, with a new branch. */
    void addVia(SipProvider provider, Request request, String branch) throws ParseException, InvalidArgumentException {
        String t = transport;
        ListeningPoint lp = provider.getListeningPoint(t);
        addVia(headerFactory, request, lp.getIPAddress(), lp.getPort(), t, branch);
    }

    /**
     * Sets this side's Via on {@code request}, replacing any: over {@code transport}, or over TCP when that
     * is UDP and the request would not fit in a datagram (RFC 3261 18.1.1). The UDP and TCP listening
     * points share {@code host:port}. The branch is set here, not left to the stack: the stack adds it when
     * it creates the client transaction, after the size was measured, and a 1,290-byte INVITE then went out
     * as a 1,345-byte datagram.
     */
    static void addVia(HeaderFactory headers, Request request, String host, int port, String transport, String branch)
            throws ParseException, InvalidArgumentException {
        request.removeHeader(ViaHeader.NAME);
        request.addHeader(headers.createViaHeader(host, port, transport, branch));
        if (transport.equals("udp") && request.toString().getBytes(StandardCharsets.UTF_8).length > UDP_SIZE_LIMIT) {
            request.removeHeader(ViaHeader.NAME);
            request.addHeader(headers.createViaHeader(host, port, ListeningPoint.TCP, branch));
        }
    }
}
