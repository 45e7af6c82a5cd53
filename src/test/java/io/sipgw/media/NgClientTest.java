package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ng client against a scripted fake rtpengine on loopback. */
class NgClientTest {

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private FakeRtpengine fake;

    @AfterEach
    void stopFake() {
        if (fake != null) {
            fake.close();
        }
    }

    private NgClient client(Duration timeout, int retries) {
        return new NgClient(fake.address(), timeout, retries);
    }

    @Test
    void pingSendsACookieAndTheBencodedCommandAndAcceptsPong() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result4:ponge")));
        client(Duration.ofSeconds(2), 0).ping();
        Received request = fake.next();
        assertTrue(request.cookie().matches("[0-9a-f]{8}_[0-9a-z]+"), request.cookie());
        assertEquals("d7:command4:pinge", request.body());
    }

    @Test
    void everyRequestHasItsOwnCookie() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result4:ponge")));
        NgClient client = client(Duration.ofSeconds(2), 0);
        client.ping();
        client.ping();
        assertTrue(!fake.next().cookie().equals(fake.next().cookie()));
    }

    @Test
    void offerSendsCallIdTagSdpAndOptionsAndReturnsTheRewrittenSdp() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result2:ok3:sdp10:v=0\r\nx=1\r\ne")));
        NgReply reply = client(Duration.ofSeconds(2), 0)
                .offer("call-1", "tag-a", SDP, Map.of("ICE", "remove", "rtcp-mux", List.of("demux")));
        assertEquals("v=0\r\nx=1\r\n", reply.sdp().orElseThrow());
        Map<?, ?> sent = (Map<?, ?>) Bencode.decode(fake.next().bodyBytes());
        assertEquals(ByteString.utf8("offer"), sent.get("command"));
        assertEquals(ByteString.utf8("call-1"), sent.get("call-id"));
        assertEquals(ByteString.utf8("tag-a"), sent.get("from-tag"));
        assertEquals(ByteString.utf8(SDP), sent.get("sdp"));
        assertEquals(ByteString.utf8("remove"), sent.get("ICE"));
        assertEquals(List.of(ByteString.utf8("demux")), sent.get("rtcp-mux"));
    }

    @Test
    void answerSendsBothTags() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result2:ok3:sdp3:v=0e")));
        client(Duration.ofSeconds(2), 0).answer("call-1", "tag-a", "tag-b", SDP, Map.of());
        Map<?, ?> sent = (Map<?, ?>) Bencode.decode(fake.next().bodyBytes());
        assertEquals(ByteString.utf8("answer"), sent.get("command"));
        assertEquals(ByteString.utf8("tag-a"), sent.get("from-tag"));
        assertEquals(ByteString.utf8("tag-b"), sent.get("to-tag"));
    }

    @Test
    void aFragmentIsAnOfferFlaggedFragmentAndNeedsNoSdpInTheReply() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result2:oke")));
        NgClient client = client(Duration.ofSeconds(2), 0);
        String fragment = "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n";
        assertEquals("ok", client.fragment("call-1", "tag-a", null, fragment).result());
        Map<?, ?> sent = (Map<?, ?>) Bencode.decode(fake.next().bodyBytes());
        assertEquals(ByteString.utf8("offer"), sent.get("command"));
        assertEquals(ByteString.utf8("call-1"), sent.get("call-id"));
        assertEquals(ByteString.utf8("tag-a"), sent.get("from-tag"));
        assertNull(sent.get("to-tag"), "no to-tag before rtpengine knows the other party's");
        assertEquals(ByteString.utf8(fragment), sent.get("sdp"));
        assertEquals(List.of(ByteString.utf8("fragment")), sent.get("flags"));
        assertEquals(List.of(ByteString.utf8("zero-address")), sent.get("replace"), "keeps media flowing to the browser");

        client.fragment("call-1", "tag-b", "tag-a", fragment);
        Map<?, ?> answerer = (Map<?, ?>) Bencode.decode(fake.next().bodyBytes());
        assertEquals(ByteString.utf8("tag-b"), answerer.get("from-tag"));
        assertEquals(ByteString.utf8("tag-a"), answerer.get("to-tag"), "the answerer's fragment names the offerer");
        assertThrows(IllegalArgumentException.class, () -> client.fragment("call-1", "tag-a", null, " "));
    }

    @Test
    void deleteAsksForNoDelayAndListReadsTheCallIds() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.body().contains("4:list")
                ? r.reply("d5:callsl2:c12:c2e6:result2:oke")
                : r.reply("d6:result2:ok7:warning5:gone?e")));
        NgClient client = client(Duration.ofSeconds(2), 0);
        NgReply deleted = client.delete("c1");
        assertEquals("gone?", deleted.warning().orElseThrow());
        assertEquals("d7:call-id2:c17:command6:delete12:delete delayi0ee", fake.next().body());
        assertEquals(List.of("c1", "c2"), client.list(100));
        assertEquals("d7:command4:list5:limiti100ee", fake.next().body());
    }

    @Test
    void anErrorReplyIsARefusalWithRtpenginesReason() {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result5:error12:error-reason15:Unknown call-ide")));
        NgException e = assertThrows(NgException.class, () -> client(Duration.ofSeconds(2), 0).query("nope"));
        assertEquals(NgException.Kind.REFUSED, e.kind());
        assertEquals("query", e.command());
        assertEquals("Unknown call-id", e.reason());
        assertEquals("rtpengine at " + hostPort() + " refused 'query': Unknown call-id", e.getMessage());
    }

    @Test
    void aLoadLimitIsARefusalToo() {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result10:load limit7:message4:busye")));
        NgException e = assertThrows(NgException.class,
                () -> client(Duration.ofSeconds(2), 0).offer("c", "t", SDP, Map.of()));
        assertEquals(NgException.Kind.REFUSED, e.kind());
        assertEquals("result 'load limit': busy", e.reason());
    }

    @Test
    void repliesWithAnotherCookieAreIgnored() throws Exception {
        fake = new FakeRtpengine(r -> List.of(
                ("zzz " + "d6:result5:error12:error-reason5:stalee").getBytes(StandardCharsets.US_ASCII),
                r.reply("d6:result4:ponge")));
        client(Duration.ofSeconds(2), 0).ping();
        assertNotNull(fake.next());
    }

    @Test
    void anUnansweredRequestIsResentWithTheSameCookieThenFails() throws Exception {
        fake = new FakeRtpengine(r -> List.of());
        long start = System.nanoTime();
        NgException e = assertThrows(NgException.class, () -> client(Duration.ofMillis(150), 2).ping());
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(NgException.Kind.NO_REPLY, e.kind());
        assertEquals("rtpengine at " + hostPort() + " did not answer 'ping': no reply within 3 attempt(s) of 150 ms",
                e.getMessage());
        assertTrue(tookMs >= 3 * 150 && tookMs < 3 * 150 + 2_000, "took " + tookMs + " ms");
        String cookie = fake.next().cookie();
        assertEquals(cookie, fake.next().cookie());
        assertEquals(cookie, fake.next().cookie());
        assertNull(fake.poll(), "three attempts, no more");
    }

    @Test
    void aLostReplyIsRecoveredByTheRetry() throws Exception {
        List<String> seen = new ArrayList<>();
        fake = new FakeRtpengine(r -> {
            seen.add(r.cookie());
            return seen.size() == 1 ? List.of() : List.of(r.reply("d6:result4:ponge"));
        });
        client(Duration.ofMillis(200), 1).ping();
        assertEquals(fake.next().cookie(), fake.next().cookie());
    }

    @Test
    void nothingListeningFailsWithoutAReply() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        NgClient client = new NgClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                Duration.ofMillis(200), 1);
        NgException e = assertThrows(NgException.class, client::ping);
        assertEquals(NgException.Kind.NO_REPLY, e.kind());
        assertTrue(e.getMessage().startsWith("rtpengine at 127.0.0.1:" + port + " did not answer 'ping': "),
                e.getMessage());
    }

    @Test
    void aReplyThatIsNotABencodedDictionaryWithAResultIsBad() {
        for (String body : List.of("xx", "l6:resulte", "d4:sdp_1:xe", "d6:result2:ok")) {
            fake = new FakeRtpengine(r -> List.of(r.reply(body)));
            NgException e = assertThrows(NgException.class, () -> client(Duration.ofSeconds(2), 0).ping(), body);
            assertEquals(NgException.Kind.BAD_REPLY, e.kind(), body);
            assertTrue(e.getMessage().startsWith("rtpengine at " + hostPort() + " sent a malformed reply to 'ping': "),
                    e.getMessage());
            fake.close();
        }
    }

    @Test
    void anOfferReplyWithoutSdpIsBad() {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result2:oke")));
        NgException e = assertThrows(NgException.class,
                () -> client(Duration.ofSeconds(2), 0).offer("c", "t", SDP, Map.of()));
        assertEquals(NgException.Kind.BAD_REPLY, e.kind());
        assertEquals("no sdp", e.reason());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result2:ok3:sdp3:v=0e")));
        NgClient client = client(Duration.ofSeconds(2), 0);
        assertThrows(IllegalArgumentException.class, () -> client.offer("", "t", SDP, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> client.offer("c", null, SDP, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> client.offer("c", "t", " ", Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> client.offer("c".repeat(NgClient.MAX_ID_BYTES + 1), "t", SDP, Map.of()));
        assertThrows(IllegalArgumentException.class,
                () -> client.offer("c", "t", "v".repeat(NgClient.MAX_SDP_BYTES + 1), Map.of()));
        IllegalArgumentException own = assertThrows(IllegalArgumentException.class,
                () -> client.offer("c", "t", SDP, Map.of("call-id", "other")));
        assertEquals("option 'call-id' is set by the client", own.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.list(0));
        NgException tooLarge = assertThrows(NgException.class,
                () -> client.offer("c", "t", SDP, Map.of("metadata", "m".repeat(NgClient.MAX_REQUEST_BYTES))));
        assertEquals(NgException.Kind.NOT_SENT, tooLarge.kind());
        assertNull(fake.poll(), "nothing sent");
    }

    @Test
    void concurrentRequestsEachGetTheirOwnReply() throws Exception {
        fake = new FakeRtpengine(r -> List.of(r.reply("d6:result2:ok3:sdp" + r.cookie().length() + ":"
                + r.cookie() + "e")));
        NgClient client = client(Duration.ofSeconds(5), 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> sdps = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                sdps.add(pool.submit(() -> client.offer("c", "t", SDP, Map.of()).sdp().orElseThrow()));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> sdp : sdps) {
                distinct.add(sdp.get(10, TimeUnit.SECONDS));
            }
            assertEquals(32, distinct.size(), "each request saw the reply to its own cookie");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void settingsAreChecked() {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        assertThrows(IllegalArgumentException.class, () -> new NgClient(loopback, Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> new NgClient(loopback, Duration.ofSeconds(1), -1));
        assertThrows(IllegalArgumentException.class,
                () -> new NgClient(InetSocketAddress.createUnresolved("nowhere.invalid", 9), Duration.ofSeconds(1), 0));
    }

    private String hostPort() {
        return "127.0.0.1:" + fake.address().getPort();
    }

    /** A request the fake received: the cookie and the rest after the space. */
    record Received(String cookie, byte[] bodyBytes) {

        String body() {
            return new String(bodyBytes, StandardCharsets.ISO_8859_1);
        }

        byte[] reply(String body) {
            return (cookie + " " + body).getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /** A UDP socket on loopback that records each request and sends the replies a script makes of it. */
    static final class FakeRtpengine implements AutoCloseable {
        private final DatagramSocket socket;
        private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
        private final Thread thread;

        FakeRtpengine(Function<Received, List<byte[]>> script) {
            try {
                socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            } catch (SocketException e) {
                throw new IllegalStateException(e);
            }
            thread = new Thread(() -> serve(script), "fake-rtpengine");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve(Function<Received, List<byte[]>> script) {
            byte[] buffer = new byte[65_535];
            while (!socket.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                    String text = new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1);
                    int space = text.indexOf(' ');
                    Received request = new Received(text.substring(0, space),
                            text.substring(space + 1).getBytes(StandardCharsets.ISO_8859_1));
                    received.add(request);
                    for (byte[] reply : script.apply(request)) {
                        socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                    }
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        Received next() throws InterruptedException {
            Received request = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(request, "the fake received a request");
            return request;
        }

        Received poll() {
            return received.poll();
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
