package io.sipgw.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * Hostile HTTP at the REST API's edge: oversized and deeply nested bodies, oversized headers and URLs, NUL
 * in paths. Every answer the application can give is the spec's envelope; raw HTTP where a client library
 * would refuse to send the request.
 */
@RunAsClient
class RequestLimitsIT extends GatewayIT {

    private static final int PORT = Integer.getInteger("it.http.port");

    /** An HTTP answer read off a raw connection. */
    private record Raw(int status, String head, String body) {
        JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        String errorCode() {
            return json().getJsonObject("error").getString("code");
        }
    }

    /** Writes {@code head} then {@code body} on a new connection and reads the answer until the server closes. */
    private static Raw raw(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (SocketException closedEarly) {
                // the server answered and closed before the whole request was sent: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.UTF_8))) {
                        break;
                    }
                }
            } catch (SocketException reset) {
                // a reset after the answer: keep what was read
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            assertTrue(split > 0, "no HTTP answer: " + text);
            String responseHead = text.substring(0, split);
            return new Raw(Integer.parseInt(responseHead.substring(9, 12)), responseHead, text.substring(split + 4));
        }
    }

    /** Whether the answer's body is complete by its Content-Length (answers here are never chunked). */
    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        for (String line : text.substring(0, split).split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                int length = Integer.parseInt(line.substring(15).trim());
                return text.substring(split + 4).getBytes(StandardCharsets.UTF_8).length >= length;
            }
        }
        return false;
    }

    @Test
    void declaredBodyOverTheLimitIsPayloadTooLargeBeforeItIsSent() throws IOException {
        Raw r = raw("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + 10 * 1024 * 1024 + "\r\n\r\n", "{\"sipUri\":\"".getBytes(StandardCharsets.UTF_8));
        assertEquals(413, r.status(), r.head());
        assertEquals("PAYLOAD_TOO_LARGE", r.errorCode(), r.body());
        assertFalse(r.json().getBoolean("success"));
    }

    @Test
    void chunkedBodyOverTheLimitIsPayloadTooLarge() throws IOException {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        byte[] chunk = ("[" + "1,".repeat(32 * 1024) + "1]").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 4; i++) { // 256 KiB in all
            chunks.writeBytes((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            chunks.writeBytes(chunk);
            chunks.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        Raw r = raw("POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", chunks.toByteArray());
        assertEquals(413, r.status(), r.head());
        assertEquals("PAYLOAD_TOO_LARGE", r.errorCode(), r.body());
    }

    @Test
    void jsonNestedTenThousandLevelsDeepIsValidationError() {
        Api.Result r = api.post("/api/auth/login", "[".repeat(10_000) + "]".repeat(10_000), null);
        assertEquals(400, r.status(), r.body());
        assertEquals("VALIDATION_ERROR", r.errorCode());
        assertTrue(r.json().getJsonObject("error").getJsonObject("details").containsKey("body"), r.body());
    }

    @Test
    void bodyWithinTheLimitsStillReachesTheApi() {
        Api.Result r = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("t15") + "\",\"password\":\"secret123\"}", null);
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void largeAuthorizationHeaderIsInvalidTokenInTheEnvelope() {
        Api.Result r = api.get("/api/auth/profile", "x".repeat(20_000));
        assertEquals(401, r.status(), r.body());
        assertEquals("INVALID_TOKEN", r.errorCode());
    }

    @Test
    void urlOfSixtyKilobytesIsNotFoundInTheEnvelope() {
        Api.Result r = api.get("/api/" + "a".repeat(60_000), null);
        assertEquals(404, r.status(), r.body());
        assertEquals("NOT_FOUND", r.errorCode());
    }

    /** Documented limit (README, Security): the container answers these itself, without the application. */
    @Test
    void requestHeadOverSixtyFourKilobytesAndNulInThePathAreBare400sFromTheContainer() throws IOException {
        Raw longUrl = raw("GET /api/" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
        assertEquals(400, longUrl.status(), longUrl.head());
        Raw nul = raw("GET /api/auth/profile%00 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
        assertEquals(400, nul.status(), nul.head());
    }

    @Test
    void refusedWebSocketUpgradeIsAnsweredInTheEnvelope() throws IOException {
        Raw r = raw("GET /ws/events?token=x HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n", new byte[0]);
        assertEquals(426, r.status(), r.head());
        // the body is the envelope; Payara drops the Content-Type on an answer to an upgrade request (README)
        assertFalse(r.json().getBoolean("success"), r.body());
        assertEquals("VALIDATION_ERROR", r.errorCode(), r.body());
    }

    @Test
    void webSocketUpgradesTheClientAbandonsLeaveLaterAnswersInTheEnvelope() throws IOException {
        String token = api.login(uri("t16"));
        String upgrade = "GET /ws/events?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        for (int i = 0; i < 40; i++) {
            try (Socket socket = new Socket("127.0.0.1", PORT)) {
                socket.getOutputStream().write(upgrade.getBytes(StandardCharsets.ISO_8859_1));
                socket.setSoLinger(true, 0); // the client goes away: reset, mid-upgrade
            }
        }
        for (int i = 0; i < 10; i++) {
            Raw r = raw("GET /api/no-such HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
            assertEquals(404, r.status(), r.head());
            assertEquals("NOT_FOUND", r.errorCode(), r.body());
        }
    }

    /** A WebSocket upgrade to the events socket with {@code token}, as a browser sends it. */
    private static byte[] upgrade(String token) {
        return ("GET /ws/events?token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Origin: http://127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends the first {@code length} bytes of {@code request} on a new connection and goes away: after
     * {@code readFirst} bytes of the answer (0: without reading), with a reset or an orderly close.
     */
    private static void abandon(byte[] request, int length, int readFirst, boolean reset) {
        try (Socket socket = new Socket("127.0.0.1", PORT)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            socket.getOutputStream().write(request, 0, length);
            socket.getOutputStream().flush();
            if (readFirst > 0) {
                socket.getInputStream().readNBytes(readFirst);
            }
            if (reset) {
                socket.setSoLinger(true, 0);
            }
        } catch (IOException serverClosedFirst) {
            // the server may close first (a refused upgrade); the client is going away anyway
        }
    }

    /** Sends one request on {@code socket}, kept alive, and reads its answer by Content-Length or chunks. */
    private static Raw exchange(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertTrue(b >= 0, "the kept-alive connection closed before an answer: " + head);
            head.write(b);
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        String lower = headText.toLowerCase();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (lower.contains("transfer-encoding: chunked")) {
            for (int size; (size = Integer.parseInt(readLine(in).split(";")[0].trim(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                readLine(in);
            }
            readLine(in);
        } else {
            int at = lower.indexOf("content-length:");
            int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
            body.write(in.readNBytes(length));
        }
        return new Raw(Integer.parseInt(headText.substring(9, 12)), headText.trim(), body.toString(StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            line.append((char) b);
        }
        return line.toString().trim();
    }

    /** A new connection's answer and a kept-alive connection's answer are both the API's envelope. */
    private static void assertLaterAnswersInTheEnvelope(Socket kept, String token, String after) throws IOException {
        Raw fresh = raw("GET /api/no-such HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
        assertEquals(404, fresh.status(), after + ": " + fresh.head());
        assertEquals("NOT_FOUND", fresh.errorCode(), after + ": " + fresh.body());
        Raw again = exchange(kept, "GET /api/auth/profile HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n");
        assertEquals(200, again.status(), after + ": " + again.head());
        assertTrue(again.json().getBoolean("success"), after + ": " + again.body());
    }

    @Test
    void webSocketUpgradesAbandonedAtAnyPointLeaveEveryLaterAnswerInTheEnvelope() throws Exception {
        String revoked = api.login(uri("t16"));
        assertEquals(200, api.post("/api/auth/logout", "{}", revoked).status());
        String token = api.login(uri("t16"));
        try (Socket kept = new Socket("127.0.0.1", PORT)) {
            kept.setSoTimeout((int) WAIT.toMillis());
            assertLaterAnswersInTheEnvelope(kept, token, "before any upgrade");
            for (String[] used : new String[][] {{"valid token", token}, {"revoked token", revoked},
                    {"garbage token", "not.a.token"}}) {
                byte[] request = upgrade(used[1]);
                String text = new String(request, StandardCharsets.ISO_8859_1);
                int requestLine = text.indexOf("\r\n") + 2;
                int midHeaders = text.indexOf("Connection:");
                int midValue = text.indexOf("Sec-WebSocket-Key:") + 24;
                int beforeLastCrlf = request.length - 2;
                for (int cut : new int[] {requestLine, midHeaders, midValue, beforeLastCrlf, request.length}) {
                    for (int i = 0; i < 4; i++) {
                        abandon(request, cut, 0, i % 2 == 0);
                    }
                    assertLaterAnswersInTheEnvelope(kept, token, used[0] + ", cut after " + cut + " bytes");
                }
                for (int i = 0; i < 4; i++) {
                    abandon(request, request.length, 12, true); // the status line of the answer, then away
                }
                assertLaterAnswersInTheEnvelope(kept, token, used[0] + ", gone after the status line");
            }
            // many at once, cut anywhere: the handshakes race the resets
            byte[] request = upgrade(token);
            ExecutorService clients = Executors.newFixedThreadPool(32);
            try {
                List<Future<?>> all = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int cut = i % 5 == 0 ? request.length : (int) ((long) request.length * (i % 97) / 97);
                    boolean reset = i % 3 != 0;
                    all.add(clients.submit(() -> abandon(request, Math.max(1, cut), 0, reset)));
                }
                for (Future<?> each : all) {
                    each.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
                }
            } finally {
                clients.shutdownNow();
            }
            assertLaterAnswersInTheEnvelope(kept, token, "200 concurrent abandoned upgrades");
        }
    }

    /** A client text frame (masked, as RFC 6455 requires of clients). */
    private static byte[] maskedTextFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = {0x37, (byte) 0xfa, 0x21, 0x3d};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        frame.write(0x80 | payload.length); // under 126 bytes here
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /**
     * Reads server frames (unmasked) until a text frame containing {@code wanted} and returns it, or what
     * ended the wait instead (a close frame and its reason, the end of the stream).
     */
    private static String awaitTextFrame(InputStream in, String wanted) throws IOException {
        while (true) {
            int first = in.read();
            int second = in.read();
            if (first < 0 || second < 0) {
                return "end of stream";
            }
            long length = second & 0x7f;
            if (length == 126) {
                length = ((in.read() & 0xff) << 8) | (in.read() & 0xff);
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (in.read() & 0xff);
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if ((first & 0x0f) == 0x8) {
                return "close frame " + (payload.length >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : "")
                        + " " + new String(payload, Math.min(2, payload.length), Math.max(0, payload.length - 2),
                                StandardCharsets.UTF_8);
            }
            String text = new String(payload, StandardCharsets.UTF_8);
            if ((first & 0x0f) == 0x1 && text.contains(wanted)) {
                return text;
            }
        }
    }

    @Test
    void firstFrameSentWithTheHandshakeIsAnsweredAndHoldsNoServerThread() throws IOException {
        // Tyrus alone waits forever on the thread that serves such a handshake (OrderedUpgradeHandler).
        // Not t16: the sockets the other tests abandon count against its cap until their idle timeout
        String token = api.login(uri("t15"));
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("127.0.0.1", PORT)) {
                socket.setSoTimeout((int) WAIT.toMillis());
                ByteArrayOutputStream both = new ByteArrayOutputStream();
                both.writeBytes(upgrade(token));
                both.writeBytes(maskedTextFrame("{\"type\":\"PING\"}"));
                socket.getOutputStream().write(both.toByteArray()); // one write: the frame comes with the handshake
                socket.getOutputStream().flush();
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                    int b = in.read();
                    assertTrue(b >= 0, "closed during the handshake: " + head);
                    head.write(b);
                }
                assertTrue(head.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 101"), head.toString());
                String answer = awaitTextFrame(in, "\"PONG\"");
                assertTrue(answer.contains("\"PONG\""), "no PONG for the PING sent with handshake " + i + ": " + answer);
            }
        }
        Raw after = raw("GET /api/no-such HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", new byte[0]);
        assertEquals("NOT_FOUND", after.errorCode(), after.body());
    }
}
