package io.sipgw.sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.sip.fuzz.TortureMessages.Kind;
import io.sipgw.sip.fuzz.TortureMessages.Torture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 4475 torture messages ({@link TortureMessages}) against the embedded SIP server, over real UDP and TCP: each one gets what
 * the RFC says a robust element answers (valid: a proper answer by the server's rules; invalid: 400, 505,
 * 416, 420, 483 as fits, or silence where the RFC allows it; a stray response: nothing), never a 500; after
 * each the server still answers an OPTIONS, and nothing it logged at WARNING or above is more than one
 * short line.
 */
class SipServerTortureTest {

    private static final String DOMAIN = TestSipServer.DOMAIN;
    /** How long a message may take to be answered. */
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** How long to wait for an answer that may (or must) not come. */
    private static final Duration SILENCE = Duration.ofMillis(1_500);

    private TestSipServer server;
    private int port;
    private static LogCapture logs;
    private static final List<CompletableFuture<Void>> stopped = new CopyOnWriteArrayList<>();

    /**
     * A new server for each message: JAIN-SIP matches server transactions by branch alone, and some
     * messages have no usable branch ({@code badbranch}: the bare magic cookie; {@code inv2543}: none), so
     * on one server a later message could be absorbed as a retransmission of an earlier one, and this test
     * would say nothing about it; each message also meets a server in its initial state.
     */
    @BeforeEach
    void startServer() {
        server = TestSipServer.start();
        port = server.port();
    }

    /** Stopping a JAIN-SIP stack takes a second or two: the servers stop in the background, each on its own port. */
    @AfterEach
    void stopServer() {
        TestSipServer stopping = server;
        stopped.add(CompletableFuture.runAsync(stopping::close));
    }

    @BeforeAll
    static void captureLogs() {
        logs = new LogCapture();
    }

    @AfterAll
    static void stopCapturing() {
        CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new)).join();
        logs.close();
    }

    @BeforeEach
    void forgetLogs() {
        logs.clear();
    }

    static Stream<Arguments> messages() {
        return Stream.of(SipPeer.Transport.values())
                .flatMap(t -> TortureMessages.ALL.stream().map(m -> Arguments.of(m, t)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("messages")
    void tortureMessageGetsWhatRfc4475SaysAndTheServerLivesOn(Torture torture, SipPeer.Transport transport) {
        try (SipPeer peer = new SipPeer(transport, port)) {
            peer.connect();
            peer.send(TortureMessages.viaTo(torture.bytes(), peer.via(), peer.sentBy()));
            Optional<String> answer = peer.awaitFinal(torture.mayDropOver(transport) ? SILENCE : ANSWER);
            String shown = answer.map(a -> a.lines().findFirst().orElse("")).orElse("no answer");
            System.out.println("[torture] " + torture + " over " + transport + ": " + shown);
            answer.ifPresent(a -> assertTrue(SipPeer.status(a) != 500, torture + ": " + a));
            switch (torture.kind()) {
                case VALID -> {
                    assertTrue(answer.isPresent(), torture + " was not answered");
                    assertTrue(SipPeer.status(answer.get()) != 400, torture + " is valid: " + answer.get());
                }
                case OVER_LIMITS -> {
                    assertTrue(answer.isPresent(), torture + " was not answered");
                    assertTrue(SipPeer.status(answer.get()) != 400 || answer.get().lines().findFirst().orElse("").contains("Too Long"),
                            torture + ": a 400 must name the limit: " + answer.get());
                }
                case LIBERAL -> assertTrue(answer.isPresent(), torture + " was not answered");
                case INVALID -> {
                    if (answer.isPresent() || !torture.mayDropOver(transport)) {
                        assertTrue(answer.isPresent(), torture + " was not answered");
                        assertTrue(torture.statuses().contains(SipPeer.status(answer.get())),
                                torture + " expects " + torture.statuses() + ": " + answer.get());
                    }
                }
                case RESPONSE -> assertTrue(answer.isEmpty(), torture + " is a response: " + answer.orElse(""));
            }
        }
        assertAlive(transport);
        assertEquals(List.of(), logs.offending(), torture + " left more than a line in the log");
    }

    /** The server still answers an OPTIONS addressed to itself, over the same transport. */
    private void assertAlive(SipPeer.Transport transport) {
        try (SipPeer peer = new SipPeer(transport, port)) {
            peer.connect();
            String branch = "z9hG4bK" + UUID.randomUUID();
            String options = "OPTIONS sip:" + DOMAIN + ":" + port + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/" + peer.via() + " " + peer.sentBy() + ";branch=" + branch + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:probe@example.org>;tag=" + UUID.randomUUID() + "\r\n"
                    + "To: <sip:" + DOMAIN + ":" + port + ">\r\n"
                    + "Call-ID: " + UUID.randomUUID() + "\r\n"
                    + "CSeq: 1 OPTIONS\r\n"
                    + "Content-Length: 0\r\n\r\n";
            peer.send(options.getBytes(StandardCharsets.US_ASCII));
            Optional<String> answer = peer.awaitFinal(ANSWER);
            assertTrue(answer.isPresent(), "the server no longer answers OPTIONS over " + transport);
            assertEquals(200, SipPeer.status(answer.get()), answer.get());
        }
    }
}
