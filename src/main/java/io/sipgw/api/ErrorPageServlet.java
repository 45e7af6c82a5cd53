package io.sipgw.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Answers the container's own error pages (declared in web.xml) with the spec's envelope: unknown paths
 * outside the REST application, wrong methods, requests the container refuses after it has chosen the
 * application (400, 413, 414, 431) and failures that never reached JAX-RS. (Token rejections
 * are answered inside JAX-RS by the auth component's TokenFilter.)
 */
@WebServlet(name = "ErrorPage", urlPatterns = "/error-page")
public class ErrorPageServlet extends HttpServlet {

    private static final Logger LOG = Logger.getLogger(ErrorPageServlet.class.getName());
    private static final Jsonb JSONB = JsonbBuilder.create();

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object statusAttribute = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer i ? i : 404;
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.VALIDATION_ERROR;
            case 401 -> ErrorCode.INVALID_TOKEN;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 400 && status < 500 ? ErrorCode.VALIDATION_ERROR : ErrorCode.SERVER_ERROR;
        };
        if (code == ErrorCode.SERVER_ERROR) {
            Object cause = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            LOG.log(Level.SEVERE, "Container error " + status + " for " + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    cause instanceof Throwable t ? t : null);
        }
        // an error keeps its status (414 URI too long, 426 upgrade required, 503...), under the nearest code
        write(resp, status >= 400 && status < 600 ? status : code.httpStatus(), ApiResponse.failure(code, null, null));
    }

    /**
     * Writes an envelope as UTF-8 JSON, through whichever of the response's output stream and writer is still
     * free: a request that failed after it took one (a WebSocket upgrade that broke off, a resource that had
     * started writing) would otherwise make the error page fail too, and the container answer its own HTML
     * 500 page instead.
     */
    public static void write(HttpServletResponse resp, int status, ApiResponse<?> body) throws IOException {
        resp.setStatus(status);
        resp.setCharacterEncoding("UTF-8");
        resp.setContentType("application/json;charset=UTF-8");
        String json = JSONB.toJson(body);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(bytes.length);
        try {
            resp.getOutputStream().write(bytes);
        } catch (IllegalStateException writerTaken) {
            resp.getWriter().write(json);
        }
    }
}
