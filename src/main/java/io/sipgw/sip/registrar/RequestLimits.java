package io.sipgw.sip.registrar;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;

/**
 * The sizes this server and the gateway behind it handle: what the gateway stores of an address (user
 * ids of 255 characters, SIP URIs of 300) bounds what the server lets through, so an oversized value
 * is answered 400 here rather than failing further on. The whole message is already capped by the
 * stack ({@code StackProperties.MAX_MESSAGE_SIZE}).
 */
final class RequestLimits {

    /** The longest Request-URI, From or To URI. */
    static final int MAX_URI = 255;
    /** The longest user part of those URIs (account names are far shorter). */
    static final int MAX_USER = 64;
    /** The longest Call-ID. */
    static final int MAX_CALL_ID = 255;

    private RequestLimits() {
    }

    /** The reason phrase of a 400 for the first value over its limit, or null when all fit. */
    static String violation(Request request) {
        if (tooLong(request.getRequestURI())) {
            return "Request-URI Too Long";
        }
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        if (from != null && tooLong(from.getAddress().getURI())) {
            return "From Too Long";
        }
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (to != null && tooLong(to.getAddress().getURI())) {
            return "To Too Long";
        }
        CallIdHeader callId = (CallIdHeader) request.getHeader(CallIdHeader.NAME);
        if (callId != null && callId.getCallId().length() > MAX_CALL_ID) {
            return "Call-ID Too Long";
        }
        return null;
    }

    private static boolean tooLong(URI uri) {
        if (uri.toString().length() > MAX_URI) {
            return true;
        }
        return uri instanceof SipURI sipUri && sipUri.getUser() != null && sipUri.getUser().length() > MAX_USER;
    }
}
