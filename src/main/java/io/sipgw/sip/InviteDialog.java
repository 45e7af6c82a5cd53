package io.sipgw.sip;

import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.Dialog;
import javax.sip.DialogState;
import javax.sip.RequestEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * One INVITE dialog of a registered user, either side ({@link OutgoingInvite}, {@link IncomingInvite}):
 * what both can do in it (BYE, INFO) and the requests that arrive in it, reported to its
 * {@link DialogEvents}.
 */
public abstract sealed class InviteDialog implements DialogParty permits OutgoingInvite, IncomingInvite {

    private static final Logger LOG = Logger.getLogger(InviteDialog.class.getName());

    final SipUserAgent agent;
    final Registration registration;
    volatile Dialog dialog;
    volatile DialogEvents events;

    InviteDialog(SipUserAgent agent, Registration registration) {
        this.agent = agent;
        this.registration = registration;
    }

    /** The SIP Call-ID: shared by both sides of a call between two users of this gateway. */
    public abstract String sipCallId();

    /** True when requests can be sent in the dialog (INFO): the far end's tag is known and it is not over. */
    public boolean ready() {
        Dialog d = dialog;
        return d != null && d.getState() != null && d.getState() != DialogState.TERMINATED && d.getRemoteTag() != null;
    }

    /** Ends the confirmed dialog. */
    public void bye() {
        send(Request.BYE, null, null, null);
    }

    /**
     * Sends INFO (RFC 6086) of {@code infoPackage} with a body of {@code type/subType}; with a null
     * {@code infoPackage}, a legacy INFO without Info-Package header (as {@code application/dtmf-relay}
     * is sent by phones and PBXs).
     */
    public void info(String infoPackage, String type, String subType, String body) {
        send(Request.INFO, infoPackage, type + "/" + subType, body);
    }

    /**
     * The call is over for its owner: a CANCEL for it is no longer matched (481). Requests still arriving
     * in the dialog (a late BYE) keep being answered and reported.
     */
    public void release() {
    }

    private void send(String method, String infoPackage, String mimeType, String body) {
        try {
            Dialog d = dialog;
            Request request = d.createRequest(method);
            if (body != null) {
                String[] type = mimeType.split("/", 2);
                request.setContent(body.getBytes(StandardCharsets.UTF_8), agent.requests().headerFactory().createContentTypeHeader(type[0], type[1]));
                if (infoPackage != null) {
                    request.addHeader(agent.requests().headerFactory().createHeader("Info-Package", infoPackage));
                }
            }
            d.sendRequest(registration.provider().getNewClientTransaction(request));
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Cannot send " + method + " in the dialog of " + sipCallId(), e);
        }
    }

    /** Requests in the dialog: ACK, BYE, INFO are reported; a re-INVITE is refused (media changes unsupported). */
    @Override
    public void onRequest(RequestEvent event) {
        Request request = event.getRequest();
        DialogEvents listener = events;
        switch (request.getMethod()) {
            case Request.ACK -> listener.ackReceived();
            case Request.BYE -> {
                respond(event, Response.OK);
                listener.byeReceived();
            }
            case Request.INFO -> {
                ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
                String body = request.getRawContent() == null ? "" : new String(request.getRawContent(), StandardCharsets.UTF_8);
                boolean accepted = type != null && listener.infoReceived(type.getContentType() + "/" + type.getContentSubType(), body);
                respond(event, accepted ? Response.OK : 469); // 469 Bad Info Package (RFC 6086)
            }
            case Request.INVITE -> respond(event, Response.NOT_ACCEPTABLE_HERE);
            case Request.OPTIONS -> respond(event, Response.OK);
            default -> respond(event, Response.NOT_IMPLEMENTED);
        }
    }

    private void respond(RequestEvent event, int status) {
        agent.serverTransaction(event).ifPresent(tx -> agent.respond(tx, status));
    }
}
