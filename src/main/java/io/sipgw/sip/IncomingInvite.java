package io.sipgw.sip;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;
import javax.sip.header.ToHeader;
import javax.sip.message.Response;

/**
 * An INVITE for a registered user and the dialog it begins: every response carries the same To tag;
 * a 2xx carries the answer and the user's Contact; a CANCEL reaches {@link DialogEvents#cancelled()}.
 * Handed out by {@link Invites#onInvite}.
 */
public final class IncomingInvite extends InviteDialog {

    private static final Logger LOG = Logger.getLogger(IncomingInvite.class.getName());

    private final IncomingRequest request;
    private final Invites invites;
    private final String localTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private volatile boolean answered;

    IncomingInvite(SipUserAgent agent, IncomingRequest request, Invites invites) {
        super(agent, request.recipient());
        this.request = request;
        this.invites = invites;
    }

    /** The INVITE: its callee (recipient), caller (from) and offer (body). */
    public IncomingRequest request() {
        return request;
    }

    @Override
    public String sipCallId() {
        return request.callId();
    }

    /**
     * Opens the dialog and reports what happens in it to {@code listener}; false (after answering 500) when
     * the stack cannot make a dialog. Before this, the INVITE can only be refused with {@code request().respond}.
     */
    public boolean attach(DialogEvents listener) {
        events = listener;
        try {
            dialog = request.provider().getNewDialog(request.transaction());
            dialog.setApplicationData(this);
        } catch (Exception e) {
            LogLines.failure(LOG, "No dialog for an incoming INVITE", e);
            request.respond(Response.SERVER_INTERNAL_ERROR);
            return false;
        }
        invites.ringing(this);
        return true;
    }

    /** Answers the INVITE with this status (no 2xx: see {@link #answer}) and, when set, a Reason header. */
    public void respond(int status, String reasonText) {
        try {
            Response response = response(status);
            if (reasonText != null) {
                response.addHeader(agent.requests().reasonHeader(status, reasonText));
            }
            request.transaction().sendResponse(response);
        } catch (Exception e) {
            LogLines.failure(LOG, "Cannot answer " + status + " to INVITE " + sipCallId(), e);
        }
    }

    /** Accepts the call: 200 OK with the answer SDP; false when it could not be sent. */
    public boolean answer(String sdp) {
        try {
            Response ok = response(Response.OK);
            ok.setContent(sdp.getBytes(StandardCharsets.UTF_8), agent.requests().headerFactory().createContentTypeHeader("application", "sdp"));
            request.transaction().sendResponse(ok);
            answered = true;
            return true;
        } catch (Exception e) {
            LogLines.failure(LOG, "Cannot answer INVITE " + sipCallId(), e);
            return false;
        }
    }

    /** True once 200 OK was sent: a CANCEL comes too late then. */
    public boolean answered() {
        return answered;
    }

    @Override
    public void release() {
        invites.released(this);
    }

    void cancelReceived() {
        events.cancelled();
    }

    private Response response(int status) throws java.text.ParseException {
        Response response = agent.requests().newResponse(status, request.request());
        ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
        if (status < 300) {
            response.addHeader(agent.requests().contactOf(registration));
        }
        return response;
    }
}
