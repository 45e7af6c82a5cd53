package io.sipgw.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A client of rtpengine's ng control protocol over UDP: each request is {@code cookie SP dictionary}
 * (bencoded), and the reply carries the same cookie. A request waits {@code timeout} for its reply and
 * is sent again, with the same cookie, up to {@code retries} times: rtpengine recognises the cookie and
 * answers a retransmission from its cache instead of doing the work twice. Replies with another cookie
 * (late answers to earlier requests) are ignored. Every request uses its own socket, so concurrent
 * requests never see each other's replies. Thread-safe.
 */
public class NgClient {

    /** Largest request sent: one UDP datagram over IPv4. */
    public static final int MAX_REQUEST_BYTES = 65_507;
    /** Longest call id or tag accepted. */
    public static final int MAX_ID_BYTES = 1_024;
    /** Longest SDP accepted. */
    public static final int MAX_SDP_BYTES = 32_768;

    private static final Logger LOG = Logger.getLogger(NgClient.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<String> OWN_KEYS = Set.of("command", "call-id", "from-tag", "to-tag", "sdp");

    private final InetSocketAddress server;
    private final Duration timeout;
    private final int retries;
    private final String cookiePrefix;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * A client of the rtpengine whose ng socket is {@code server}; each attempt waits {@code timeout},
     * and an unanswered request is sent {@code retries} more times.
     */
    public NgClient(InetSocketAddress server, Duration timeout, int retries) {
        this.server = Objects.requireNonNull(server, "server");
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("rtpengine address " + server + " does not resolve");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timeout must be positive, not " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative, not " + retries);
        }
        this.timeout = timeout;
        this.retries = retries;
        byte[] prefix = new byte[4];
        RANDOM.nextBytes(prefix);
        this.cookiePrefix = HexFormat.of().formatHex(prefix) + "_";
    }

    public InetSocketAddress server() {
        return server;
    }

    /** Checks that rtpengine answers ({@code pong}). */
    public void ping() {
        send(Map.of("command", "ping"), "pong");
    }

    /**
     * Hands the offer {@code sdp} of call {@code callId} from the party tagged {@code fromTag} to
     * rtpengine with {@code options} (flags such as {@link BridgeFlags#towardsPlainRtp()}); the reply's
     * {@link NgReply#sdp()} is the offer to forward.
     */
    public NgReply offer(String callId, String fromTag, String sdp, Map<String, ?> options) {
        Map<String, Object> request = withOptions(options);
        request.put("command", "offer");
        request.put("call-id", id("call-id", callId));
        request.put("from-tag", id("from-tag", fromTag));
        request.put("sdp", sdp(sdp));
        return sdpReply(send(request, "ok"), "offer");
    }

    /**
     * Hands the answer {@code sdp} of the party tagged {@code toTag} to the offer of {@code fromTag} to
     * rtpengine; the reply's {@link NgReply#sdp()} is the answer to forward to the offerer.
     */
    public NgReply answer(String callId, String fromTag, String toTag, String sdp, Map<String, ?> options) {
        Map<String, Object> request = withOptions(options);
        request.put("command", "answer");
        request.put("call-id", id("call-id", callId));
        request.put("from-tag", id("from-tag", fromTag));
        request.put("to-tag", id("to-tag", toTag));
        request.put("sdp", sdp(sdp));
        return sdpReply(send(request, "ok"), "answer");
    }

    /**
     * Hands trickled ICE candidates of the party tagged {@code fromTag} to rtpengine: an {@code offer} with
     * the flag {@code fragment} whose SDP is a trickle ICE fragment ({@link TrickleFragment#text()}).
     * rtpengine answers {@code ok} without SDP. {@code toTag} names the other party of the dialogue once
     * rtpengine knows its tag (null before: an unknown to-tag would start a new branch of the call). A
     * fragment for a call rtpengine does not hold is kept by rtpengine for about 3 s in case its offer
     * follows; rtpengine 10.5 crashed on a fragment from a party it had not had SDP from yet, so the caller
     * must only send one after that party's offer or answer.
     */
    public NgReply fragment(String callId, String fromTag, String toTag, String fragment) {
        Map<String, Object> request = new HashMap<>();
        request.put("command", "offer");
        request.put("call-id", id("call-id", callId));
        request.put("from-tag", id("from-tag", fromTag));
        if (toTag != null) {
            request.put("to-tag", id("to-tag", toTag));
        }
        request.put("sdp", sdp(fragment));
        request.put("flags", List.of("fragment"));
        // rtpengine 10.5 re-initialises the sender's streams from the fragment, whose address is empty: without
        // this it took that for a zero (held) address and stopped forwarding media towards the browser
        request.put("replace", List.of("zero-address"));
        return send(request, "ok");
    }

    /**
     * Ends call {@code callId} in rtpengine at once (no delete delay), freeing its ports. Deleting a call
     * rtpengine does not know is not an error: the reply then carries a {@link NgReply#warning()}.
     */
    public NgReply delete(String callId) {
        Map<String, Object> request = new HashMap<>();
        request.put("command", "delete");
        request.put("call-id", id("call-id", callId));
        request.put("delete delay", 0);
        return send(request, "ok");
    }

    /** What rtpengine knows of call {@code callId} (tags, streams, packet totals). */
    public NgReply query(String callId) {
        return send(Map.of("command", "query", "call-id", id("call-id", callId)), "ok");
    }

    /** The call ids rtpengine holds, at most {@code limit} of them. */
    public List<String> list(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        return send(Map.of("command", "list", "limit", limit), "ok").strings("calls");
    }

    /**
     * Sends {@code request} (a dictionary with at least {@code command}) and returns the reply whose
     * {@code result} is {@code expectedResult}.
     */
    public NgReply send(Map<String, ?> request, String expectedResult) {
        String command = request.get("command") instanceof String c ? c : "?";
        String cookie = cookiePrefix + Long.toString(sequence.incrementAndGet(), 36);
        byte[] datagram = datagram(cookie, request, command);
        byte[] cookieBytes = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
        int attempts = retries + 1;
        boolean unreachable = false;
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.bind(new InetSocketAddress(server.getAddress().isLoopbackAddress()
                    ? server.getAddress() : null, 0));
            socket.connect(server);
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] buffer = new byte[65_535];
            for (int attempt = 1; attempt <= attempts; attempt++) {
                socket.send(new DatagramPacket(datagram, datagram.length));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
                    DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (PortUnreachableException e) {
                        // ICMP: nothing listens there now; the next attempt goes at once
                        unreachable = true;
                        break;
                    }
                    if (startsWith(buffer, packet.getLength(), cookieBytes)) {
                        return reply(command, expectedResult, buffer, cookieBytes.length,
                                packet.getLength() - cookieBytes.length);
                    }
                    LOG.fine(() -> "ignoring an ng reply with another cookie from " + server);
                }
                if (attempt < attempts) {
                    LOG.log(Level.FINE, "no reply from rtpengine at {0} to {1}, attempt {2} of {3}",
                            new Object[] {server, command, attempt, attempts});
                }
            }
        } catch (IOException e) {
            throw new NgException(NgException.Kind.NOT_SENT, command, e.toString(),
                    "cannot send '" + command + "' to rtpengine at " + address() + ": " + e, e);
        }
        String reason = unreachable ? "nothing listens there (port unreachable)"
                : "no reply within " + attempts + " attempt(s) of " + timeout.toMillis() + " ms";
        throw new NgException(NgException.Kind.NO_REPLY, command, reason,
                "rtpengine at " + address() + " did not answer '" + command + "': " + reason, null);
    }

    private NgReply reply(String command, String expectedResult, byte[] buffer, int offset, int length) {
        Object decoded;
        try {
            decoded = Bencode.decode(buffer, offset, length);
        } catch (BencodeException e) {
            throw badReply(command, e.getMessage(), e);
        }
        if (!(decoded instanceof Map<?, ?> map)) {
            throw badReply(command, "not a dictionary", null);
        }
        @SuppressWarnings("unchecked")
        NgReply reply = new NgReply((Map<String, Object>) map);
        String result = reply.string("result")
                .orElseThrow(() -> badReply(command, "no result", null));
        if (result.equals(expectedResult)) {
            return reply;
        }
        String reason = result.equals("error")
                ? reply.string("error-reason").orElse("no error-reason given")
                : "result '" + result + "'" + reply.string("message").map(m -> ": " + m).orElse("");
        throw new NgException(NgException.Kind.REFUSED, command, reason,
                "rtpengine at " + address() + " refused '" + command + "': " + reason, null);
    }

    private NgException badReply(String command, String what, Throwable cause) {
        return new NgException(NgException.Kind.BAD_REPLY, command, what,
                "rtpengine at " + address() + " sent a malformed reply to '" + command + "': " + what, cause);
    }

    private NgReply sdpReply(NgReply reply, String command) {
        if (reply.sdp().isEmpty()) {
            throw badReply(command, "no sdp", null);
        }
        return reply;
    }

    private byte[] datagram(String cookie, Map<String, ?> request, String command) {
        byte[] body;
        try {
            body = Bencode.encode(request);
        } catch (BencodeException e) {
            throw new IllegalArgumentException("cannot encode '" + command + "': " + e.getMessage(), e);
        }
        byte[] head = (cookie + " ").getBytes(StandardCharsets.US_ASCII);
        if (head.length + body.length > MAX_REQUEST_BYTES) {
            String reason = "request of " + (head.length + body.length) + " bytes exceeds one datagram ("
                    + MAX_REQUEST_BYTES + ")";
            throw new NgException(NgException.Kind.NOT_SENT, command, reason,
                    "cannot send '" + command + "' to rtpengine at " + address() + ": " + reason, null);
        }
        byte[] datagram = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, datagram, head.length, body.length);
        return datagram;
    }

    private static Map<String, Object> withOptions(Map<String, ?> options) {
        Map<String, Object> request = new HashMap<>();
        if (options != null) {
            for (Map.Entry<String, ?> option : options.entrySet()) {
                if (OWN_KEYS.contains(option.getKey())) {
                    throw new IllegalArgumentException("option '" + option.getKey() + "' is set by the client");
                }
                request.put(option.getKey(), option.getValue());
            }
        }
        return request;
    }

    private static String id(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException(name + " longer than " + MAX_ID_BYTES + " bytes");
        }
        return value;
    }

    private static String sdp(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("sdp is missing");
        }
        if (sdp.getBytes(StandardCharsets.UTF_8).length > MAX_SDP_BYTES) {
            throw new IllegalArgumentException("sdp longer than " + MAX_SDP_BYTES + " bytes");
        }
        return sdp;
    }

    private static boolean startsWith(byte[] buffer, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(buffer, 0, prefix.length, prefix, 0, prefix.length);
    }

    private String address() {
        return server.getAddress().getHostAddress() + ":" + server.getPort();
    }
}
