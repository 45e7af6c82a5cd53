package io.sipgw.events;

import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.ErrorPageServlet;
import io.sipgw.sip.LogLines;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps a WebSocket handshake that fails inside the container out of the container's error handling.
 *
 * <p>Tyrus's servlet filter (registered by Tyrus for {@code /*} after the application's own filters, so
 * this one wraps it) does the whole handshake while the request is being served: {@code
 * TyrusServletUpgrade.upgrade} checks the handshake, switches the request to the upgraded protocol (Payara
 * suspends the response) and flushes the {@code 101}. An exception out of it, such as the
 * {@code TyrusServletUpgrade} NullPointerException seen when a client went away mid-handshake (issue 14),
 * would otherwise take the container's error page path for a response that is suspended or whose client
 * is gone, where the container answers its own HTML 500 page if the error page cannot be written. Here an
 * exception out of an upgrade is logged on one escaped line ({@link LogLines#failure}: at FINE when it only
 * says the client has gone; the stack trace at FINE) and answered with the API's envelope
 * ({@code 500 SERVER_ERROR}) if nothing was sent yet, or dropped quietly if the client has gone; nothing
 * reaches the container's error handling. See docs/architecture.md, "Payara and Tyrus under aborted
 * WebSocket upgrades".
 */
@WebFilter(filterName = "UpgradeGuard", urlPatterns = "/ws/*")
public class UpgradeGuard extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(UpgradeGuard.class.getName());

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (req.getHeader("Upgrade") == null) {
            chain.doFilter(req, resp);
            return;
        }
        try {
            chain.doFilter(req, resp);
        } catch (RuntimeException | IOException | ServletException failed) {
            LogLines.failure(LOG, "WebSocket upgrade from " + safeRemote(req), failed);
            answer(resp);
        }
    }

    /** The envelope if the response is still uncommitted and the client still there; silence otherwise. */
    private static void answer(HttpServletResponse resp) {
        try {
            if (!resp.isCommitted()) {
                resp.reset();
                ErrorPageServlet.write(resp, ErrorCode.SERVER_ERROR.httpStatus(),
                        ApiResponse.failure(ErrorCode.SERVER_ERROR, null, null));
                resp.flushBuffer();
            }
        } catch (IOException | RuntimeException clientGone) {
            LOG.log(Level.FINE, "WebSocket upgrade failure not answered: the client has gone", clientGone);
        }
    }

    private static String safeRemote(HttpServletRequest req) {
        try {
            return req.getRemoteAddr();
        } catch (RuntimeException closed) {
            return "a closed connection";
        }
    }
}
