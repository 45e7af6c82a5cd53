package io.sipgw.sip.registrar;

import gov.nist.javax.sip.RequestEventExt;
import gov.nist.javax.sip.message.SIPMessage;
import io.sipgw.sip.LogLines;
import io.sipgw.sip.VersionCheckingParser;
import java.net.InetAddress;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionState;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.header.Header;
import javax.sip.header.ProxyRequireHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The server's {@link SipListener}: hands REGISTER to the {@link Registrar} and everything else to the
 * {@link Proxy}, and keeps every exception inside (logged, and answered 500 where a request waits).
 * JAIN-SIP calls it from several threads at once.
 *
 * <p>Before that it refuses what neither may see: a request line of another SIP version than 2.0 (505;
 * JAIN-SIP parses {@code SIP/7.0} as 2.0, so {@link VersionCheckingParser} notes it), requests JAIN-SIP
 * cannot make a transaction of (400, statelessly), what RFC 3261's grammar forbids though JAIN-SIP
 * parsed it (400, {@link VersionCheckingParser.Malformed}), values over the {@link RequestLimits} (400)
 * and extensions it was required to support (420 with {@code Unsupported}: it supports none, RFC 3261
 * sections 8.2.2.3 and 16.3). An ACK that fails any of these is dropped, as an ACK is never answered.
 *
 * <p>A request whose answer cannot be delivered (the peer closed its TCP connection, say) is given up
 * quietly, logged at FINE: there is nobody to answer 500 to. Other failures are logged as one line at
 * WARNING (stack trace at FINE), so no packet can write more than a line into the operator's log.
 */
final class RequestDispatcher implements SipListener {

    private static final Logger LOG = Logger.getLogger(RequestDispatcher.class.getName());

    private final SipProvider provider;
    private final Registrar registrar;
    private final Proxy proxy;
    private final SipFactories sip;

    RequestDispatcher(SipProvider provider, Registrar registrar, Proxy proxy, SipFactories sip) {
        this.provider = provider;
        this.registrar = registrar;
        this.proxy = proxy;
        this.sip = sip;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        ServerTransaction st = null;
        try {
            boolean supportedVersion = VersionCheckingParser.hasSupportedVersion(request);
            String malformed = VersionCheckingParser.malformation(request);
            String tooLong = malformed != null ? malformed : RequestLimits.violation(request);
            if (request.getMethod().equals(Request.ACK)) {
                if (supportedVersion && tooLong == null) {
                    proxy.forwardAck(request);
                }
                return;
            }
            st = serverTransaction(event);
            if (st == null) {
                return;
            }
            if (!supportedVersion) {
                st.sendResponse(sip.response(request, Response.VERSION_NOT_SUPPORTED));
                return;
            }
            if (tooLong != null) {
                st.sendResponse(sip.response(request, Response.BAD_REQUEST, tooLong));
                return;
            }
            Response badExtension = unsupportedExtensions(request);
            if (badExtension != null) {
                st.sendResponse(badExtension);
                return;
            }
            String source = source(event);
            switch (request.getMethod()) {
                case Request.REGISTER -> registrar.register(st, request, source);
                case Request.CANCEL -> proxy.cancel(st, request);
                default -> proxy.forward(st, request, source);
            }
        } catch (Exception e) {
            String what = request.getMethod() + " " + request.getRequestURI();
            if (LogLines.undeliverable(e)) {
                LOG.log(Level.FINE, "The answer to " + LogLines.oneLine(what) + " cannot be delivered; dropped", e);
                return;
            }
            LOG.warning(() -> LogLines.withFailure("Failed to handle " + what, e));
            LOG.log(Level.FINE, "stack trace of the failure above", e);
            answerServerError(st, request);
        }
    }

    /**
     * A 420 listing the option tags of {@code Proxy-Require} (every request: this server is a proxy) and of
     * {@code Require} in a REGISTER (it is the registrar, a user agent server): it supports no extension.
     * Null when nothing is required. CANCEL is never refused this way (RFC 3261 section 9.2).
     */
    private Response unsupportedExtensions(Request request) throws ParseException {
        if (request.getMethod().equals(Request.CANCEL)) {
            return null;
        }
        List<String> tags = new ArrayList<>(optionTags(request, ProxyRequireHeader.NAME));
        if (request.getMethod().equals(Request.REGISTER)) {
            tags.addAll(optionTags(request, RequireHeader.NAME));
        }
        if (tags.isEmpty()) {
            return null;
        }
        Response response = sip.response(request, Response.BAD_EXTENSION);
        for (String tag : tags.stream().distinct().limit(16).toList()) {
            UnsupportedHeader unsupported = sip.headers().createUnsupportedHeader(tag);
            response.addHeader(unsupported);
        }
        return response;
    }

    private static List<String> optionTags(Request request, String headerName) {
        List<String> tags = new ArrayList<>();
        ListIterator<?> headers = request.getHeaders(headerName);
        while (headers != null && headers.hasNext()) {
            Header header = (Header) headers.next();
            String tag = header instanceof RequireHeader require ? require.getOptionTag()
                    : header instanceof ProxyRequireHeader proxyRequire ? proxyRequire.getOptionTag() : null;
            if (tag != null && !tag.isBlank()) {
                tags.add(tag.trim());
            }
        }
        return tags;
    }

    @Override
    public void processResponse(ResponseEvent event) {
        try {
            proxy.relay(event);
        } catch (Exception e) {
            logFailure("relay response " + event.getResponse().getStatusCode(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        try {
            proxy.timedOut(event);
        } catch (Exception e) {
            logFailure("handle a transaction timeout", e);
        }
    }

    /** One line at WARNING (FINE when only an answer could not be delivered), the stack trace at FINE. */
    private static void logFailure(String what, Exception e) {
        LogLines.failure(LOG, "Failed to " + what, e);
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        LOG.fine(() -> "I/O error towards " + event.getHost() + ":" + event.getPort() + "/" + event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
        // transactions carry their own state; nothing to clean up
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        // a proxy keeps no dialogs
    }

    /** The address the request came from (the packet's, not what its Via claims). */
    private static String source(RequestEvent event) {
        if (event instanceof RequestEventExt ext && ext.getRemoteIpAddress() != null) {
            return ext.getRemoteIpAddress();
        }
        InetAddress remote = event.getRequest() instanceof SIPMessage message ? message.getRemoteAddress() : null;
        return remote != null ? remote.getHostAddress() : "unknown";
    }

    /**
     * The request's server transaction, created if needed; null for a retransmission the stack absorbs and
     * for a request it cannot make a transaction of (a PUBLISH without Event, say), which is answered 400
     * statelessly here.
     */
    private ServerTransaction serverTransaction(RequestEvent event) throws ParseException, SipException {
        if (event.getServerTransaction() != null) {
            return event.getServerTransaction();
        }
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException e) {
            LOG.fine(() -> "retransmission of " + event.getRequest().getMethod() + " absorbed");
            return null;
        } catch (TransactionUnavailableException e) {
            String detail = e.getMessage();
            String reason = detail == null || detail.length() > 100 || !detail.matches("[ -~]+") ? "Bad Request" : detail;
            LOG.fine(() -> "no transaction for " + event.getRequest().getMethod() + ": " + e.getMessage());
            provider.sendResponse(sip.response(event.getRequest(), Response.BAD_REQUEST, reason));
            return null;
        }
    }

    private void answerServerError(ServerTransaction st, Request request) {
        if (st == null) {
            return;
        }
        TransactionState state = st.getState();
        if (state != null && state != TransactionState.TRYING && state != TransactionState.PROCEEDING) {
            return;
        }
        try {
            st.sendResponse(sip.response(request, Response.SERVER_INTERNAL_ERROR));
        } catch (Exception e) {
            LOG.log(Level.FINE, "could not answer 500", e);
        }
    }
}
