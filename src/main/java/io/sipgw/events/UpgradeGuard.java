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
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
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
 *
 * <p>It also hands Tyrus a request whose {@code upgrade} creates an {@link OrderedUpgradeHandler}, which
 * keeps a handshake followed at once by more bytes from holding an HTTP thread forever.
 */
@WebFilter(filterName = "UpgradeGuard", urlPatterns = "/ws/*")
public class UpgradeGuard extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(UpgradeGuard.class.getName());
    private static final String TYRUS_HANDLER = "org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler";
    /**
     * {@link OrderedUpgradeHandler}, or null where Tyrus's servlet classes are not visible to the application
     * (then Tyrus's own handler is used, as before).
     */
    private static final Class<? extends HttpUpgradeHandler> ORDERED = orderedHandler();

    private static Class<? extends HttpUpgradeHandler> orderedHandler() {
        try {
            return Class.forName("io.sipgw.events.OrderedUpgradeHandler", true, UpgradeGuard.class.getClassLoader())
                    .asSubclass(HttpUpgradeHandler.class);
        } catch (ClassNotFoundException | LinkageError notVisible) {
            LOG.warning(() -> "Tyrus's upgrade handler is not visible to the application; a handshake followed at once"
                    + " by more bytes may hold an HTTP thread: " + LogLines.summary(notVisible));
            return null;
        }
    }

    /** The request as Tyrus sees it: its upgrade creates an {@link OrderedUpgradeHandler} instead of Tyrus's own. */
    private static final class OrderedUpgrade extends HttpServletRequestWrapper {
        OrderedUpgrade(HttpServletRequest request) {
            super(request);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws IOException, ServletException {
            if (handlerClass.getName().equals(TYRUS_HANDLER) && handlerClass.isAssignableFrom(ORDERED)) {
                return (T) super.upgrade(ORDERED);
            }
            return super.upgrade(handlerClass);
        }
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        if (req.getHeader("Upgrade") == null) {
            chain.doFilter(req, resp);
            return;
        }
        try {
            chain.doFilter(ORDERED == null ? req : new OrderedUpgrade(req), resp);
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
