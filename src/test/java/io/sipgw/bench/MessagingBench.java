package io.sipgw.bench;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Messaging benchmark (not part of the test run; see bench/README.md): N user pairs send messages
 * through REST and receive them on WebSockets. Reports delivered messages per second and end-to-end
 * latency (REST request sent -> MESSAGE_RECEIVED on the recipient's socket), and checks that no
 * message is lost or duplicated.
 *
 * <p>Arguments: baseUrl sipDomainWithPort pairs messagesPerSender concurrency. baseUrl may list several
 * members of a cluster, comma separated: pair p's sender then logs in and sends on member p, its receiver
 * logs in and listens on member p + 1 (modulo their number), so with two members every message crosses
 * from one to the other (a user's sends must reach the member holding the user's registration).
 *
 * <p>With the environment variable {@code BENCH_SEND=socket} the senders send over their own event socket
 * (SEND_MESSAGE frames, answered by MESSAGE_SENT or ERROR; README "Sending over the socket") instead of
 * POST /api/messages: each sender keeps at most concurrency / pairs frames unanswered (at least one), and a
 * frame answered by ERROR counts as a failure. Latency is then from the frame sent to MESSAGE_RECEIVED.
 */
public final class MessagingBench {

    public static void main(String[] args) throws Exception {
        String[] bases = args[0].split(",");
        String server = args[1];
        int pairs = Integer.parseInt(args[2]);
        int perSender = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        Api[] apis = new Api[bases.length];
        for (int i = 0; i < bases.length; i++) {
            apis[i] = new Api(bases[i]);
        }

        // user i: pair i / 2, sender when i is even; the member it logs in on, sends and listens on
        String[] tokens = new String[pairs * 2];
        int[] member = new int[pairs * 2];
        for (int i = 0; i < tokens.length; i++) {
            member[i] = (i / 2 + i % 2) % bases.length;
            tokens[i] = apis[member[i]].login("sip:b" + (i + 1) + "@" + server);
        }
        int total = pairs * perSender;
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Map<String, Long> latencyNanos = new ConcurrentHashMap<>();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch allReceived = new CountDownLatch(total);
        List<EventSocket> sockets = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            sockets.add(EventSocket.open(apis[member[2 * p + 1]], tokens[2 * p + 1]));
        }
        List<Thread> readers = new ArrayList<>();
        for (EventSocket socket : sockets) {
            Thread reader = new Thread(() -> {
                while (true) {
                    JsonObject frame;
                    try {
                        frame = socket.await("MESSAGE_RECEIVED", Duration.ofSeconds(60));
                    } catch (AssertionError e) {
                        return;
                    }
                    long now = System.nanoTime();
                    String id = frame.getJsonObject("data").getString("content");
                    Long start = sentAt.get(id);
                    if (start == null || latencyNanos.putIfAbsent(id, now - start) != null) {
                        duplicates.incrementAndGet();
                    } else {
                        allReceived.countDown();
                    }
                }
            });
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }

        boolean overSocket = "socket".equals(System.getenv("BENCH_SEND"));
        List<EventSocket> senderSockets = new ArrayList<>();
        List<Semaphore> senderWindows = new ArrayList<>();
        AtomicInteger frameFailures = new AtomicInteger();
        if (overSocket) {
            int window = Math.max(1, concurrency / pairs);
            for (int p = 0; p < pairs; p++) {
                EventSocket socket = EventSocket.open(apis[member[2 * p]], tokens[2 * p]);
                Semaphore answers = new Semaphore(window);
                senderSockets.add(socket);
                senderWindows.add(answers);
                Thread reader = new Thread(() -> {
                    while (!socket.isClosed()) {
                        JsonObject frame = socket.next(Duration.ofSeconds(1));
                        String type = frame == null ? "" : frame.getString("type", "");
                        if (type.equals("ERROR")) {
                            frameFailures.incrementAndGet();
                        }
                        if (type.equals("MESSAGE_SENT") || type.equals("ERROR")) {
                            answers.release();
                        }
                    }
                });
                reader.setDaemon(true);
                reader.start();
            }
        }

        HttpClient http = HttpClient.newBuilder().version(Api.benchHttpVersion()).connectTimeout(Duration.ofSeconds(5)).build();
        Semaphore inFlight = new Semaphore(concurrency);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        long clientCpuStart = clientCpuNanos();
        for (int m = 0; m < perSender; m++) {
            for (int p = 0; p < pairs; p++) {
                String id = "bench-" + p + "-" + m;
                if (overSocket) {
                    senderWindows.get(p).acquire();
                    sentAt.put(id, System.nanoTime());
                    senderSockets.get(p).send("{\"type\":\"SEND_MESSAGE\",\"data\":{\"to\":\"sip:b" + (2 * p + 2) + "@" + server
                            + "\",\"type\":\"TEXT\",\"content\":\"" + id + "\",\"metadata\":{\"clientMsgId\":\"" + id + "-" + start + "\"}}}");
                    continue;
                }
                String body = "{\"to\":\"sip:b" + (2 * p + 2) + "@" + server + "\",\"type\":\"TEXT\",\"content\":\"" + id
                        + "\",\"metadata\":{\"clientMsgId\":\"" + id + "-" + start + "\"}}";
                HttpRequest request = HttpRequest.newBuilder(URI.create(bases[member[2 * p]] + "/api/messages"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + tokens[2 * p])
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                inFlight.acquire();
                sentAt.put(id, System.nanoTime());
                http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                    inFlight.release();
                    if (e != null || r.statusCode() != 200) {
                        failures.incrementAndGet();
                    }
                });
            }
        }
        boolean complete = allReceived.await(120, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        long clientCpu = clientCpuNanos() - clientCpuStart;
        long[] latencies = latencyNanos.values().stream().mapToLong(Long::longValue).sorted().toArray();
        int delivered = latencies.length;
        failures.addAndGet(frameFailures.get());
        System.out.printf("pairs=%d messages=%d concurrency=%d cores=%d instances=%d sending=%s%n", pairs, total, concurrency,
                Runtime.getRuntime().availableProcessors(), bases.length, overSocket ? "socket" : "REST");
        System.out.printf("delivered=%d lost=%d duplicates=%d sendFailures=%d complete=%s%n", delivered,
                total - delivered, duplicates.get(), failures.get(), complete);
        System.out.printf("throughput=%.0f delivered msg/s over %.2f s%n", delivered / (elapsed / 1e9), elapsed / 1e9);
        System.out.printf("latency ms: p50=%.1f p90=%.1f p99=%.1f max=%.1f%n", pct(latencies, 50), pct(latencies, 90),
                pct(latencies, 99), latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
        System.out.printf("client CPU: %.1f s, %.2f ms per message%n", clientCpu / 1e9, delivered == 0 ? 0 : clientCpu / 1e6 / delivered);
        sockets.forEach(EventSocket::close);
        senderSockets.forEach(EventSocket::close);
        if (total - delivered != 0 || duplicates.get() != 0) {
            System.exit(1);
        }
    }

    /** CPU time of this JVM (the client; Maven around it is idle while it runs), in nanoseconds. */
    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }

    private MessagingBench() {
    }

}
