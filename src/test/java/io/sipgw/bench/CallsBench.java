package io.sipgw.bench;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Call set-up benchmark (not part of the test run; see docs/benchmarks.md): N caller/callee pairs, each
 * caller placing calls one after the other. One set-up is REST offer -> INCOMING_CALL on the callee's
 * socket -> REST answer -> CALL_STATE_CHANGED ACTIVE on both sides; then the caller hangs up and waits
 * for ENDED on the callee's side. Afterwards every call must be ENDED in both users' history, and no call
 * leg or SIP dialog may be left on any instance.
 *
 * <p>Arguments: baseUrl sipDomainWithPort pairs callsPerPair. baseUrl may list several members of a cluster,
 * comma separated: pair p's caller logs in, opens its socket, places and hangs up its calls on member p, its
 * callee logs in, opens its socket and answers on member p + 1 (modulo their number), so with two members
 * every call crosses from one to the other (a user's requests must reach the member holding the user's
 * registration and call leg).
 */
public final class CallsBench {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        String[] bases = args[0].split(",");
        String server = args[1];
        int pairs = Integer.parseInt(args[2]);
        int perPair = Integer.parseInt(args[3]);
        Api[] apis = new Api[bases.length];
        for (int i = 0; i < bases.length; i++) {
            apis[i] = new Api(bases[i], Api.benchHttpVersion());
        }
        String offer = String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwx",
                "a=fingerprint:sha-256 4F:1C:3B:53:0E:A4:7C:2A:14:8B:EF:5E:CB:6D:F0:4C:15:4A:42:01:1C:4E:44:0D:D4:9E:39:6C:7F:B3:F8:11",
                "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "");
        String answer = offer.replace("a=setup:actpass", "a=setup:active");

        ConcurrentLinkedQueue<Long> setupNanos = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        // user i: pair i / 2, caller when i is even; the member it logs in on and makes all its requests to
        String[] tokens = new String[pairs * 2];
        Api[] userApi = new Api[pairs * 2];
        for (int i = 0; i < tokens.length; i++) {
            userApi[i] = apis[(i / 2 + i % 2) % bases.length];
            tokens[i] = userApi[i].login("sip:b" + (i + 1) + "@" + server);
        }
        ExecutorService pool = Executors.newFixedThreadPool(pairs);
        List<Future<?>> runs = new ArrayList<>();
        long start = System.nanoTime();
        long clientCpuStart = clientCpuNanos();
        for (int p = 0; p < pairs; p++) {
            int pair = p;
            runs.add(pool.submit(() -> {
                String caller = tokens[2 * pair];
                String callee = tokens[2 * pair + 1];
                Api callerApi = userApi[2 * pair];
                Api calleeApi = userApi[2 * pair + 1];
                try (EventSocket callerSocket = EventSocket.open(callerApi, caller);
                        EventSocket calleeSocket = EventSocket.open(calleeApi, callee)) {
                    for (int i = 0; i < perPair; i++) {
                        try {
                            long t0 = System.nanoTime();
                            Api.Result placed = callerApi.post("/api/calls", Json.createObjectBuilder().add("to", "sip:b" + (2 * pair + 2) + "@" + server)
                                    .add("type", "AUDIO").add("sdp", offer).build().toString(), caller);
                            if (placed.status() != 200) {
                                throw new IllegalStateException(placed.body());
                            }
                            String callId = placed.data().getString("callId");
                            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
                            Api.Result answered = calleeApi.put("/api/calls/" + calleeCallId + "/answer",
                                    Json.createObjectBuilder().add("sdp", answer).build().toString(), callee);
                            if (answered.status() != 200) {
                                throw new IllegalStateException(answered.body());
                            }
                            callerSocket.await("CALL_STATE_CHANGED", f -> is(f, callId, "ACTIVE"), WAIT);
                            calleeSocket.await("CALL_STATE_CHANGED", f -> is(f, calleeCallId, "ACTIVE"), WAIT);
                            setupNanos.add(System.nanoTime() - t0);
                            callerApi.delete("/api/calls/" + callId, caller);
                            calleeSocket.await("CALL_STATE_CHANGED", f -> is(f, calleeCallId, "ENDED"), WAIT);
                        } catch (RuntimeException | AssertionError e) {
                            failures.incrementAndGet();
                            System.err.println("call failed: " + e.getMessage());
                        }
                    }
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        long elapsed = System.nanoTime() - start;
        long clientCpu = clientCpuNanos() - clientCpuStart;
        pool.shutdown();

        long leftOpen = 0;
        for (int i = 0; i < tokens.length; i++) {
            leftOpen += userApi[i].get("/api/calls/history?size=200", tokens[i]).data().getJsonArray("content").stream()
                    .map(v -> v.asJsonObject().getString("state"))
                    .filter(s -> s.equals("RINGING") || s.equals("ACTIVE")).count();
        }
        // SIP state must go too, on every member: no call leg and no dialog may outlive its call (JAIN-SIP
        // lets a dialog go when its last transaction ends, so allow for the transaction timers)
        double legsLeft = 0;
        double dialogsLeft = 0;
        for (Api api : apis) {
            var left = api.gaugesSettled(Duration.ofSeconds(60), "sipgw_calls_live", "sipgw_sip_dialogs");
            legsLeft += left.get("sipgw_calls_live");
            dialogsLeft += left.get("sipgw_sip_dialogs");
        }
        long[] sorted = setupNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("pairs=%d calls=%d cores=%d instances=%d%n", pairs, pairs * perPair, Runtime.getRuntime().availableProcessors(),
                bases.length);
        System.out.printf("completed=%d failed=%d leftOpen=%d legsLeft=%.0f dialogsLeft=%.0f%n", sorted.length, failures.get(),
                leftOpen, legsLeft, dialogsLeft);
        System.out.printf("throughput=%.1f call set-ups/s (each with hang-up) over %.2f s%n", sorted.length / (elapsed / 1e9), elapsed / 1e9);
        System.out.printf("set-up latency ms: p50=%.1f p90=%.1f p99=%.1f max=%.1f%n", pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        System.out.printf("client CPU: %.1f s, %.2f ms per call%n", clientCpu / 1e9, sorted.length == 0 ? 0 : clientCpu / 1e6 / sorted.length);
        if (failures.get() > 0 || leftOpen > 0 || legsLeft > 0 || dialogsLeft > 0) {
            System.exit(1);
        }
    }

    private static boolean is(JsonObject frame, String callId, String state) {
        JsonObject data = frame.getJsonObject("data");
        return data.getString("callId").equals(callId) && data.getString("newState").equals(state);
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

    private CallsBench() {
    }
}
