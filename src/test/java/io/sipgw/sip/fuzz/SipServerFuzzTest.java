package io.sipgw.sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations ({@link SipMutator}) of valid REGISTER, MESSAGE, INVITE and OPTIONS requests against the
 * embedded SIP server over UDP and TCP: no answer is ever a 500, the server answers an OPTIONS after every
 * message, and nothing it logs at WARNING or above is more than one short line.
 *
 * <p>{@code -Dsipgw.fuzz.seed} (default 4475) and {@code -Dsipgw.fuzz.count} (default 3,000: 43 to 59 s
 * measured on a loaded 2-core machine) choose the run; a failure names its seed and message number, and the
 * same seed replays the same messages:
 * {@code mvn -o test -Dtest=SipServerFuzzTest -Dsipgw.fuzz.seed=12345 -Dsipgw.fuzz.count=5000}.
 */
class SipServerFuzzTest {

    private static final String DOMAIN = TestSipServer.DOMAIN;
    private static final Duration ALIVE = Duration.ofSeconds(5);
    /** The largest UDP datagram. */
    private static final int MAX_DATAGRAM = 65_507;

    private final long seed = Long.getLong("sipgw.fuzz.seed", 4475L);
    private final int count = Integer.getInteger("sipgw.fuzz.count", 3000);

    private TestSipServer server;
    private int port;
    private LogCapture logs;

    @BeforeEach
    void startServer() {
        server = TestSipServer.start();
        port = server.port();
        logs = new LogCapture();
    }

    @AfterEach
    void stopServer() {
        logs.close();
        server.close();
    }

    @Test
    void mutatedRequestsNeverGet500AndTheServerAnswersAfterEach() {
        System.out.println("[fuzz] seed " + seed + ", " + count + " messages (replay: -Dsipgw.fuzz.seed=" + seed
                + " -Dsipgw.fuzz.count=" + count + ")");
        SipMutator mutator = new SipMutator(seed, MAX_DATAGRAM);
        Random random = mutator.random();
        List<String> serverErrors = new ArrayList<>();
        try (SipPeer udp = new SipPeer(SipPeer.Transport.UDP, port); SipPeer probe = new SipPeer(SipPeer.Transport.UDP, port)) {
            for (int n = 0; n < count; n++) {
                SipPeer peer = random.nextInt(4) == 0 ? new SipPeer(SipPeer.Transport.TCP, port) : udp;
                try {
                    peer.connect();
                    byte[] valid = validRequest(random, peer);
                    SipMutator.Mutant mutant = mutator.mutate(valid);
                    peer.send(mutant.bytes());
                    String failure = "message " + n + " of seed " + seed + " over " + peer.transport() + " "
                            + mutant.mutations() + ":\n" + mutant.shown();
                    if (!alive(probe, random)) {
                        fail("the server no longer answers OPTIONS after " + failure);
                    }
                    drain(peer, failure, serverErrors);
                } finally {
                    if (peer != udp) {
                        peer.close();
                    }
                }
            }
            drain(udp, "a late answer (seed " + seed + ")", serverErrors);
        }
        assertEquals(List.of(), serverErrors, "500 answers (seed " + seed + ")");
        assertEquals(List.of(), logs.offending(), "log records longer than a line (seed " + seed + ")");
    }

    /** Reads what came back so far (briefly) and notes every 500. */
    private static void drain(SipPeer peer, String what, List<String> serverErrors) {
        Optional<String> answer;
        while ((answer = peer.awaitAny(Duration.ofMillis(peer.transport() == SipPeer.Transport.TCP ? 50 : 5))).isPresent()) {
            if (answer.get().startsWith("SIP/2.0 500")) {
                serverErrors.add(answer.get().lines().findFirst().orElse("") + " for " + what);
            }
        }
    }

    /** Whether the server answers 200 to an OPTIONS addressed to itself. */
    private boolean alive(SipPeer probe, Random random) {
        String branch = "z9hG4bK" + Long.toHexString(random.nextLong());
        String options = "OPTIONS sip:" + DOMAIN + ":" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + probe.sentBy() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@example.org>;tag=" + Long.toHexString(random.nextLong()) + "\r\n"
                + "To: <sip:" + DOMAIN + ":" + port + ">\r\n"
                + "Call-ID: " + Long.toHexString(random.nextLong()) + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        probe.send(options.getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + ALIVE.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> answer = probe.awaitFinal(Duration.ofNanos(deadline - System.nanoTime()));
            if (answer.isPresent() && answer.get().contains(branch)) {
                return SipPeer.status(answer.get()) == 200;
            }
        }
        return false;
    }

    /** One of the valid requests the fuzzer starts from, with fresh branch, tags and Call-ID. */
    private byte[] validRequest(Random random, SipPeer peer) {
        String server = DOMAIN + ":" + port;
        String branch = "z9hG4bK" + Long.toHexString(random.nextLong());
        String tag = Long.toHexString(random.nextLong());
        String callId = Long.toHexString(random.nextLong()) + "@" + DOMAIN;
        String via = "Via: SIP/2.0/" + peer.via() + " " + peer.sentBy() + ";rport;branch=" + branch + "\r\n";
        String common = via + "Max-Forwards: 70\r\nCall-ID: " + callId + "\r\nUser-Agent: sipgw-fuzz\r\n";
        String contact = "Contact: <sip:alice@" + peer.sentBy() + ";transport=" + peer.via().toLowerCase() + ">\r\n";
        String nonce = Long.toHexString(random.nextLong());
        String digest = "Digest username=\"alice\", realm=\"" + DOMAIN + "\", nonce=\"" + nonce + "\", uri=\"sip:" + server
                + "\", response=\"" + "0".repeat(32) + "\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"abc\"";
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        String text = "hello \u00e9\u00e8 \u4f60\u597d";
        return switch (random.nextInt(8)) {
            case 0 -> request("REGISTER sip:" + server, common, "<sip:alice@" + server + ">;tag=" + tag, "<sip:alice@" + server + ">",
                    "1 REGISTER", contact + "Expires: 600\r\n", "", "");
            case 1 -> request("REGISTER sip:" + server, common, "<sip:alice@" + server + ">;tag=" + tag, "<sip:alice@" + server + ">",
                    "2 REGISTER", contact + "Authorization: " + digest + "\r\n", "", "");
            case 2 -> request("MESSAGE sip:bob@" + server, common, "\"Alice\" <sip:alice@" + server + ">;tag=" + tag,
                    "<sip:bob@" + server + ">", "1 MESSAGE", "", "text/plain;charset=UTF-8", text);
            case 3 -> request("MESSAGE sip:bob@" + server, common, "<sip:alice@" + server + ">;tag=" + tag, "<sip:bob@" + server + ">",
                    "2 MESSAGE", "Proxy-Authorization: " + digest.replace("sip:" + server, "sip:bob@" + server) + "\r\n",
                    "text/plain", "hi");
            case 4 -> request("INVITE sip:bob@" + server, common, "<sip:alice@" + server + ">;tag=" + tag, "<sip:bob@" + server + ">",
                    "1 INVITE", contact, "application/sdp", sdp);
            case 5 -> request("OPTIONS sip:bob@" + server, common, "<sip:alice@" + server + ">;tag=" + tag, "<sip:bob@" + server + ">",
                    "1 OPTIONS", "Accept: application/sdp\r\n", "", "");
            case 6 -> request("OPTIONS sip:" + server, common, "<sip:carol@example.org>;tag=" + tag, "<sip:" + server + ">",
                    "1 OPTIONS", "", "", "");
            default -> request("MESSAGE sip:bob@" + server, common, "<sip:alice@" + server + ">;tag=" + tag,
                    "<sip:bob@" + server + ">;tag=" + Long.toHexString(random.nextLong()), "7 MESSAGE",
                    "Route: <sip:" + server + ";lr>\r\n", "text/plain", "in a dialog");
        };
    }

    private static byte[] request(String requestLine, String common, String from, String to, String cseq, String extra,
            String contentType, String body) {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        String head = requestLine + " SIP/2.0\r\n" + common + "From: " + from + "\r\nTo: " + to + "\r\nCSeq: " + cseq + "\r\n"
                + extra + (contentType.isEmpty() ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + bodyBytes.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] message = java.util.Arrays.copyOf(headBytes, headBytes.length + bodyBytes.length);
        System.arraycopy(bodyBytes, 0, message, headBytes.length, bodyBytes.length);
        return message;
    }
}
