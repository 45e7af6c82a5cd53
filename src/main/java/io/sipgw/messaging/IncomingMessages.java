package io.sipgw.messaging;

import io.sipgw.sip.Digest;
import io.sipgw.sip.Registration;
import io.sipgw.sip.Registrations;
import io.sipgw.sip.SipUserAgent;
import io.sipgw.work.WorkerPool;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ExtensionHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Receives SIP MESSAGE for logged-in users, from another gateway user or any SIP phone: the message is
 * stored for its recipient before it is answered 200 OK, then pushed as MESSAGE_RECEIVED. The database
 * work runs on the worker pool, not on the SIP stack's thread.
 */
@ApplicationScoped
public class IncomingMessages {

    private static final Logger LOG = Logger.getLogger(IncomingMessages.class.getName());
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Inject
    SipUserAgent agent;

    @Inject
    Registrations registrations;

    @Inject
    MessageStore store;

    @Inject
    WorkerPool executor;

    void start(@Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object ignored) {
        agent.onRequest(Request.MESSAGE, this::receive);
    }

    void receive(RequestEvent event) {
        Request request = event.getRequest();
        Optional<Registration> recipient = request.getRequestURI() instanceof SipURI uri && uri.getUser() != null
                ? registrations.findByContactUser(uri.getUser()) : Optional.empty();
        if (recipient.isEmpty()) {
            agent.respond(event, Response.NOT_FOUND);
            return;
        }
        Optional<ServerTransaction> transaction = agent.serverTransaction(event);
        if (transaction.isEmpty()) {
            return; // a retransmission: its transaction answers it
        }
        ServerTransaction tx = transaction.get();
        ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
        if (type == null || !"text".equalsIgnoreCase(type.getContentType()) || !"plain".equalsIgnoreCase(type.getContentSubType())) {
            agent.respond(tx, Response.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        byte[] raw = request.getRawContent();
        String content = raw == null ? "" : new String(raw, charset(type));
        if (content.isBlank()) {
            agent.respond(tx, Response.BAD_REQUEST);
            return;
        }
        if (content.length() > Message.MAX_CONTENT) {
            agent.respond(tx, Response.REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        if (!(((FromHeader) request.getHeader(FromHeader.NAME)).getAddress().getURI() instanceof SipURI from)
                || from.getUser() == null) {
            agent.respond(tx, Response.BAD_REQUEST);
            return;
        }
        Registration owner = recipient.get();
        String peerId = from.getUser() + "@" + from.getHost().toLowerCase(java.util.Locale.ROOT);
        Message message = Message.incoming(messageId(request), owner.aor().userId(), peerId, "sip:" + peerId,
                owner.aor().toString(), content, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        executor.execute(() -> {
            try {
                store.storeIncoming(message);
                agent.respond(tx, Response.OK);
            } catch (RuntimeException e) {
                if (store.find(message.ownerId(), message.messageId(), Direction.INCOMING).isPresent()) {
                    agent.respond(tx, Response.OK); // a repeat of a message already stored
                    return;
                }
                LOG.log(Level.WARNING, "Could not store an incoming MESSAGE for " + owner.aor().userId(), e);
                agent.respond(tx, Response.SERVER_INTERNAL_ERROR);
            }
        });
    }

    /**
     * The sender's id when another gateway sent it; otherwise one derived from Call-ID, CSeq and From
     * tag, so a message re-sent in a new transaction is still stored once.
     */
    private static String messageId(Request request) {
        if (request.getHeader(Messaging.MESSAGE_ID_HEADER) instanceof ExtensionHeader header
                && header.getValue() != null && MESSAGE_ID.matcher(header.getValue().trim()).matches()) {
            return header.getValue().trim();
        }
        String key = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId() + "|"
                + ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber() + "|"
                + ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        return "sip-" + Digest.md5Hex(key);
    }

    private static Charset charset(ContentTypeHeader type) {
        String name = type.getParameter("charset");
        try {
            return name == null ? StandardCharsets.UTF_8 : Charset.forName(name.replace("\"", ""));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
