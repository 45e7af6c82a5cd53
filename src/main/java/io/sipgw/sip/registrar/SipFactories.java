package io.sipgw.sip.registrar;

import gov.nist.javax.sip.Utils;
import java.text.ParseException;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/** The three JAIN-SIP factories, created once per server and shared by its parts (they are thread-safe). */
record SipFactories(AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {

    static SipFactories create() throws PeerUnavailableException {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        return new SipFactories(factory.createAddressFactory(), factory.createHeaderFactory(),
                factory.createMessageFactory());
    }

    /**
     * A response this server generates itself (as a UAS, RFC 3261 section 8.2.6): it gets a To tag
     * unless it is a 100 or the request had one.
     */
    Response response(Request request, int status) throws ParseException {
        Response response = messages.createResponse(status, request);
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        if (status > 100 && to.getTag() == null) {
            to.setTag(Utils.getInstance().generateTag());
        }
        return response;
    }

    /** As {@link #response(Request, int)} with another reason phrase. */
    Response response(Request request, int status, String reason) throws ParseException {
        Response response = response(request, status);
        response.setReasonPhrase(reason);
        return response;
    }
}
