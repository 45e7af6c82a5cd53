package io.sipgw.sip;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;

/**
 * An out-of-dialog request for a logged-in user, as a capability sees it: its recipient's registration,
 * its sender, content and the ids that identify it, and a way to answer it in its server transaction.
 * Built by {@link IncomingRequests} once the recipient is known and the transaction exists; safe to answer
 * from any thread.
 */
public final class IncomingRequest {

    /** The sender as From names it; {@code user} is null when From is not a SIP URI with a user part. */
    public record Party(String user, String host, String displayName) {

        /** {@code user@host} with the host in lower case, or null without a user part. */
        public String userId() {
            return user == null ? null : user + "@" + host.toLowerCase(Locale.ROOT);
        }
    }

    private final Registration recipient;
    private final Request request;
    private final ServerTransaction transaction;
    private final SipProvider provider;
    private final SipUserAgent agent;

    IncomingRequest(Registration recipient, Request request, ServerTransaction transaction, SipProvider provider,
                    SipUserAgent agent) {
        this.recipient = recipient;
        this.request = request;
        this.transaction = transaction;
        this.provider = provider;
        this.agent = agent;
    }

    public Registration recipient() {
        return recipient;
    }

    public String method() {
        return request.getMethod();
    }

    public Party from() {
        FromHeader from = (FromHeader) request.getHeader(FromHeader.NAME);
        String display = from.getAddress().getDisplayName();
        if (from.getAddress().getURI() instanceof SipURI uri) {
            return new Party(uri.getUser(), uri.getHost(), display);
        }
        return new Party(null, null, display);
    }

    /** The tag of From. */
    public String fromTag() {
        return ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
    }

    /** The SIP Call-ID. */
    public String callId() {
        return ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
    }

    public long cseq() {
        return ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    /** The media type of the body ({@code text} of {@code text/plain}), or null without Content-Type. */
    public String contentType() {
        ContentTypeHeader type = contentTypeHeader();
        return type == null ? null : type.getContentType();
    }

    /** The subtype of the body ({@code plain} of {@code text/plain}), or null without Content-Type. */
    public String contentSubType() {
        ContentTypeHeader type = contentTypeHeader();
        return type == null ? null : type.getContentSubType();
    }

    /** True when Content-Type is {@code type/subType}, ignoring case. */
    public boolean hasContentType(String type, String subType) {
        return type.equalsIgnoreCase(contentType()) && subType.equalsIgnoreCase(contentSubType());
    }

    /** The charset parameter of Content-Type, or null. */
    public String charset() {
        ContentTypeHeader type = contentTypeHeader();
        String name = type == null ? null : type.getParameter("charset");
        return name == null ? null : name.replace("\"", "");
    }

    /** The body, or null when there is none. */
    public byte[] body() {
        return request.getRawContent();
    }

    /** The body as text in its charset (UTF-8 when none or an unknown one is named); empty without a body. */
    public String text() {
        byte[] raw = request.getRawContent();
        if (raw == null) {
            return "";
        }
        Charset charset;
        try {
            charset = charset() == null ? StandardCharsets.UTF_8 : Charset.forName(charset());
        } catch (RuntimeException e) {
            charset = StandardCharsets.UTF_8;
        }
        return new String(raw, charset);
    }

    /** The value of an extension header (one the stack does not parse itself), if present. */
    public Optional<String> header(String name) {
        return request.getHeader(name) instanceof ExtensionHeader header && header.getValue() != null
                ? Optional.of(header.getValue()) : Optional.empty();
    }

    /** Answers the request with this status and the standard reason phrase. */
    public void respond(int status) {
        agent.respond(transaction, status);
    }

    /** Answers the request with this status and a Reason header (RFC 3326) carrying {@code reasonText}. */
    public void respond(int status, String reasonText) {
        agent.respond(transaction, status, reasonText);
    }

    Request request() {
        return request;
    }

    ServerTransaction transaction() {
        return transaction;
    }

    /** The provider the request arrived on. */
    SipProvider provider() {
        return provider;
    }

    private ContentTypeHeader contentTypeHeader() {
        return (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
    }
}
