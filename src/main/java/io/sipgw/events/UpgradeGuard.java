package io.sipgw.events;

import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.ErrorPageServlet;
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
 * <p>Tyrus's servlet filter ({@code TyrusServletUpgrade.upgrade}, registered by Tyrus for {@code /*} after
 * the application's own filters, so this one wraps it) builds its handshake context from the request's
 * local name, local port and remote address. Grizzly reads the local address lazily from the socket, and
 * once a client that went away has had its connection closed the socket has none:
 * {@code HttpRequestPacket.getLocalPort} and {@code getLocalName} then throw a NullPointerException out of
 * the upgrade. Left to the container, that exception takes the error page path for a request whose
 * connection is gone, and the container answers its own HTML 500 page where the error page cannot be
 * written. Here an exception out of an upgrade is logged on one line (its stack trace at FINE) and answered
 * with the API's envelope ({@code 500 SERVER_ERROR}) if the response can still be written, or dropped
 * quietly if the client has gone; nothing reaches the container's error handling.
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
            LOG.log(Level.WARNING, () -> "WebSocket upgrade from " + safeRemote(req) + " failed: " + failed);
            LOG.log(Level.FINE, "WebSocket upgrade failure", failed);
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
