package io.sipgw.messaging;

import io.sipgw.sip.Digest;
import io.sipgw.sip.IncomingRequest;
import io.sipgw.sip.IncomingRequests;
import io.sipgw.sip.Registration;
import io.sipgw.work.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Receives SIP MESSAGE for logged-in users, from another gateway user or any SIP phone: the message is
 * stored for its recipient before it is answered 200 OK, then pushed as MESSAGE_RECEIVED. The database
 * work runs on the worker pool, not on the SIP stack's thread, with a group commit ({@link GroupCommit}):
 * the MESSAGEs that arrive while one transaction commits are stored together in the next.
 */
@ApplicationScoped
public class IncomingMessages {

    private static final Logger LOG = Logger.getLogger(IncomingMessages.class.getName());
    /** At most this many arrivals per transaction. */
    static final int MAX_BATCH = 100;
    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    @Inject
    IncomingRequests requests;

    @Inject
    MessageStore store;

    @Inject
    WorkerPool executor;

    /** Arrivals stored with a group commit on the worker pool (a repeat fails its batch, then goes alone). */
    private GroupCommit<Arrival> writes;

    void start(@Observes @Initialized(jakarta.enterprise.context.ApplicationScoped.class) Object ignored) {
        writes = new GroupCommit<>(executor, MAX_BATCH, this::storeAll, this::storeOne);
        requests.on("MESSAGE", this::receive);
    }

    void receive(IncomingRequest request) {
        if (!request.hasContentType("text", "plain")) {
            request.respond(415); // Unsupported Media Type
            return;
        }
        String content = request.text();
        if (content.isBlank()) {
            request.respond(400);
            return;
        }
        if (content.length() > Message.MAX_CONTENT) {
            request.respond(413); // Request Entity Too Large
            return;
        }
        String peerId = request.from().userId();
        if (peerId == null) {
            request.respond(400);
            return;
        }
        Registration owner = request.recipient();
        Message message = Message.incoming(messageId(request), owner.aor().userId(), peerId, "sip:" + peerId,
                owner.aor().toString(), content, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        writes.add(new Arrival(message, request));
    }

    /** A received MESSAGE waiting to be stored, and answered once it is. */
    private record Arrival(Message message, IncomingRequest request) {
    }

    /** Many arrivals stored in one transaction; each is answered 200 only after it committed. */
    private void storeAll(List<Arrival> arrivals) {
        store.storeIncoming(arrivals.stream().map(Arrival::message).toList());
        arrivals.forEach(a -> a.request().respond(200));
    }

    /** One arrival in a transaction of its own; a repeat of a message already stored is answered 200 too. */
    private void storeOne(Arrival arrival) {
        Message message = arrival.message();
        try {
            store.storeIncoming(List.of(message));
            arrival.request().respond(200);
        } catch (RuntimeException e) {
            if (store.find(message.ownerId(), message.messageId(), Direction.INCOMING).isPresent()) {
                arrival.request().respond(200); // a repeat of a message already stored
                return;
            }
            LOG.log(Level.WARNING, "Could not store an incoming MESSAGE for " + message.ownerId(), e);
            arrival.request().respond(500);
        }
    }

    /**
     * The sender's id when another gateway sent it; otherwise one derived from Call-ID, CSeq and From
     * tag, so a message re-sent in a new transaction is still stored once.
     */
    private static String messageId(IncomingRequest request) {
        return request.header(Messaging.MESSAGE_ID_HEADER).map(String::trim)
                .filter(id -> MESSAGE_ID.matcher(id).matches())
                .orElseGet(() -> "sip-" + Digest.md5Hex(request.callId() + "|" + request.cseq() + "|" + request.fromTag()));
    }
}
