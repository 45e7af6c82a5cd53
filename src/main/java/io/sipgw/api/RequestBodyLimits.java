package io.sipgw.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Bounds every request body of the REST API before anything parses it: a body declared or found larger
 * than {@code sipgw.api.max-body-bytes} is {@code 413 PAYLOAD_TOO_LARGE} (a declared one without reading
 * it, and the connection is closed rather than drained), and JSON nested deeper than {@link #MAX_DEPTH}
 * levels is {@code 400 VALIDATION_ERROR}, found by a scan of the bytes (no parser builds anything). The
 * body, at most the limit, is then handed on from memory.
 */
@WebFilter(filterName = "RequestBodyLimits", urlPatterns = "/api/*")
public class RequestBodyLimits extends HttpFilter {

    /** Deepest JSON nesting accepted; the API's own bodies and frames are at most three levels deep. */
    public static final int MAX_DEPTH = 32;

    private int maxBytes;

    @Override
    public void init() {
        maxBytes = ConfigProvider.getConfig().getValue("sipgw.api.max-body-bytes", Integer.class);
    }

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain)
            throws IOException, ServletException {
        long declared = req.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(resp);
            return;
        }
        if (declared == 0 || declared < 0 && req.getHeader("Transfer-Encoding") == null) {
            chain.doFilter(req, resp); // no body
            return;
        }
        byte[] body = req.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            tooLarge(resp);
            return;
        }
        if (nestedDeeperThan(body, MAX_DEPTH)) {
            ErrorPageServlet.write(resp, 400, ApiResponse.failure(ErrorCode.VALIDATION_ERROR,
                    UserText.BODY_NESTED_TOO_DEEP.text(), Map.of("body", "JSON nested deeper than " + MAX_DEPTH + " levels")));
            return;
        }
        chain.doFilter(new BufferedBody(req, body), resp);
    }

    private void tooLarge(HttpServletResponse resp) throws IOException {
        resp.setHeader("Connection", "close"); // the rest of the body is not read
        ErrorPageServlet.write(resp, ErrorCode.PAYLOAD_TOO_LARGE.httpStatus(), ApiResponse.failure(ErrorCode.PAYLOAD_TOO_LARGE,
                null, Map.of("body", "at most " + maxBytes + " bytes")));
    }

    /** Whether brackets and braces outside JSON strings nest deeper than {@code max} (UTF-8 bytes). */
    static boolean nestedDeeperThan(byte[] json, int max) {
        return nestedDeeperThan(json.length, i -> json[i], max);
    }

    /**
     * Whether brackets and braces outside JSON strings nest deeper than {@code max}: a check to run before a
     * JSON parser sees text from a client (the parser's tree is built recursively).
     */
    public static boolean nestedDeeperThan(CharSequence json, int max) {
        return nestedDeeperThan(json.length(), json::charAt, max);
    }

    private static boolean nestedDeeperThan(int length, IntUnaryOperator at, int max) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < length; i++) {
            int b = at.applyAsInt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                if (++depth > max) {
                    return true;
                }
            } else if (b == '}' || b == ']') {
                depth--;
            }
        }
        return false;
    }

    /** The request with its body read into memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("the body has been read already");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            Charset charset = StandardCharsets.UTF_8;
            try {
                if (getCharacterEncoding() != null) {
                    charset = Charset.forName(getCharacterEncoding());
                }
            } catch (IllegalArgumentException unknownCharset) {
                // read as UTF-8, as JSON is
            }
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
