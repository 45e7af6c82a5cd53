package io.sipgw.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.FreePorts;
import io.sipgw.testing.GatewayProcess;
import io.sipgw.testing.SipPhone;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing acknowledged is lost or doubled by a {@code kill -9}, and nothing stays SENT after the restart
 * (the {@link Outbox}): on a gateway process of the test's own, alice floods bob with concurrent sends and
 * the server is killed mid-way; carol has messages out to a phone that never answers, so some entries are
 * certainly unanswered at the kill. After the restart (same database, the old tokens still valid) bob and
 * alice log in, alice retries the sends she got no answer for, and carol logs in while the phone is gone.
 * (Entries whose sender does not come back within the maximum age: {@code OutboxTest}.)
 */
class MessagesAfterCrashIT {

    private static final int FLOOD = 150;
    private static final int KILL_AFTER_ACKS = 60;
    private static final int TO_PHONE = 3;

    private final Path dataDir = Path.of(System.getProperty("it.build.dir"), "it-crash-data-" + GatewayProcess.HTTP_PORT);

    private static String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + GatewayProcess.REGISTRAR_PORT;
    }

    @Test
    void everyAcknowledgedMessageIsKeptOnceAndNoneStaysSentAfterAKill() throws Exception {
        deleteTree(dataDir);
        Map<String, String> acked = new ConcurrentHashMap<>(); // alice's clientMsgId -> messageId
        Set<String> started = ConcurrentHashMap.newKeySet();
        List<String> toPhone = new ArrayList<>(); // messageIds of carol's sends
        Map<String, String> tokens = new HashMap<>();

        GatewayProcess first = GatewayProcess.start(dataDir, "it-crash-1");
        try (SipPhone phone = new SipPhone("phone", "127.0.0.1", "127.0.0.1", GatewayProcess.REGISTRAR_PORT, FreePorts.find())) {
            Api api = first.api();
            assertEquals(200, phone.register("secret123", 3600).getStatusCode());
            for (String user : List.of("alice", "bob", "carol")) {
                tokens.put(user, api.login(uri(user)));
            }

            // carol: each send is acknowledged (no answer within the offline wait) but never answered
            ExecutorService senders = Executors.newFixedThreadPool(12);
            try {
                List<java.util.concurrent.Future<Api.Result>> phoneSends = new ArrayList<>();
                for (int i = 0; i < TO_PHONE; i++) {
                    String body = send(uri("phone"), "carol-to-phone-" + i, "carol-" + i);
                    phoneSends.add(senders.submit(() -> api.post("/api/messages", body, tokens.get("carol"))));
                }
                for (var sent : phoneSends) {
                    Api.Result r = sent.get(60, TimeUnit.SECONDS);
                    assertEquals(200, r.status(), r.body());
                    toPhone.add(r.data().getString("messageId"));
                }
                for (int i = 0; i < TO_PHONE; i++) {
                    phone.awaitRequest("MESSAGE"); // arrived, left unanswered
                }

                // alice floods bob; the server dies after KILL_AFTER_ACKS acknowledgements
                AtomicBoolean killed = new AtomicBoolean();
                CountDownLatch enough = new CountDownLatch(KILL_AFTER_ACKS);
                List<String> refused = new ArrayList<>();
                for (int i = 0; i < FLOOD; i++) {
                    String clientMsgId = "flood-" + i;
                    senders.execute(() -> {
                        if (killed.get()) {
                            return;
                        }
                        started.add(clientMsgId);
                        try {
                            Api.Result r = api.post("/api/messages", send(uri("bob"), "flood " + clientMsgId, clientMsgId), tokens.get("alice"));
                            if (r.status() == 200) {
                                acked.put(clientMsgId, r.data().getString("messageId"));
                                enough.countDown();
                            } else if (!killed.get()) {
                                synchronized (refused) {
                                    refused.add(r.toString());
                                }
                            }
                        } catch (IllegalStateException e) {
                            // the server died under this request: no answer, so the client retries after the restart
                        }
                    });
                }
                assertTrue(enough.await(120, TimeUnit.SECONDS), "acknowledgements before the kill: " + acked.size());
                killed.set(true);
                first.kill();
                assertEquals(List.of(), refused);
            } finally {
                senders.shutdown();
                assertTrue(senders.awaitTermination(60, TimeUnit.SECONDS));
            }
        } finally {
            first.kill();
        }
        assertTrue(acked.size() >= KILL_AFTER_ACKS && acked.size() < FLOOD, "killed mid-way: " + acked.size());

        try (GatewayProcess second = GatewayProcess.start(dataDir, "it-crash-2");
             EventSocket carolSocket = EventSocket.open(second.api(), tokens.get("carol"))) {
            Api api = second.api();
            carolSocket.send("{\"type\":\"PING\"}");
            carolSocket.await("PONG", Duration.ofSeconds(10));
            api.login(uri("bob"));
            api.login(uri("alice")); // her unanswered entries go out again now

            // the sends alice got no answer for, retried with the same clientMsgId: each is there once
            for (String clientMsgId : started) {
                if (!acked.containsKey(clientMsgId)) {
                    Api.Result r = api.post("/api/messages", send(uri("bob"), "flood " + clientMsgId, clientMsgId), tokens.get("alice"));
                    assertEquals(200, r.status(), r.body());
                    acked.put(clientMsgId, r.data().getString("messageId"));
                }
            }

            // carol is back, the phone is not: her entries are sent again, refused (offline), FAILED and pushed
            api.login(uri("carol"));
            Set<String> carolFailed = failures(carolSocket, TO_PHONE, Duration.ofSeconds(60));
            assertEquals(Set.copyOf(toPhone), carolFailed);

            List<JsonObject> aliceSide = settledHistory(api, tokens.get("alice"), "alice@127.0.0.1-bob@127.0.0.1");
            Map<String, Long> copies = new HashMap<>();
            aliceSide.forEach(m -> copies.merge(m.getString("messageId"), 1L, Long::sum));
            assertEquals(Set.copyOf(acked.values()), copies.keySet(), "alice's history holds exactly the acknowledged messages");
            copies.forEach((id, n) -> assertEquals(1L, n, id + " stored " + n + " times"));
            aliceSide.forEach(m -> assertEquals("DELIVERED", m.getString("status"), m.toString()));

            List<JsonObject> bobSide = history(api, tokens.get("bob"), "alice@127.0.0.1-bob@127.0.0.1");
            Map<String, Long> received = new HashMap<>();
            bobSide.forEach(m -> received.merge(m.getString("messageId"), 1L, Long::sum));
            assertEquals(Set.copyOf(acked.values()), received.keySet(), "bob got every acknowledged message");
            received.forEach((id, n) -> assertEquals(1L, n, id + " received " + n + " times"));

            List<JsonObject> carolSide = history(api, tokens.get("carol"), "carol@127.0.0.1-phone@127.0.0.1");
            assertEquals(TO_PHONE, carolSide.size(), carolSide.toString());
            carolSide.forEach(m -> assertEquals("FAILED", m.getString("status"), m.toString()));
        }
    }

    private static String send(String to, String content, String clientMsgId) {
        return "{\"to\":\"" + to + "\",\"type\":\"TEXT\",\"content\":\"" + content + "\",\"metadata\":{\"clientMsgId\":\""
                + clientMsgId + "\"}}";
    }

    /** The messageIds of the next {@code count} MESSAGE_STATUS_UPDATED frames, each SENT -> FAILED. */
    private static Set<String> failures(EventSocket socket, int count, Duration within) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            JsonObject update = socket.await("MESSAGE_STATUS_UPDATED", within).getJsonObject("data");
            assertEquals("SENT", update.getString("oldStatus"), update.toString());
            assertEquals("FAILED", update.getString("newStatus"), update.toString());
            ids.add(update.getString("messageId"));
        }
        return ids;
    }

    /** The whole conversation once no entry is SENT any more (the resent ones wait for their answer). */
    private static List<JsonObject> settledHistory(Api api, String token, String sessionId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        List<JsonObject> entries = history(api, token, sessionId);
        while (entries.stream().anyMatch(m -> m.getString("status").equals("SENT"))) {
            assertTrue(System.currentTimeMillis() < deadline, "entries still SENT a minute after the restart: " + entries.stream()
                    .filter(m -> m.getString("status").equals("SENT")).toList());
            Thread.sleep(250);
            entries = history(api, token, sessionId);
        }
        return entries;
    }

    private static List<JsonObject> history(Api api, String token, String sessionId) {
        List<JsonObject> entries = new ArrayList<>();
        for (int page = 0; ; page++) {
            Api.Result r = api.get("/api/messages/sessions/" + sessionId + "?size=200&page=" + page, token);
            assertEquals(200, r.status(), r.body());
            r.data().getJsonArray("messages").forEach(m -> entries.add(m.asJsonObject()));
            if (!r.data().getBoolean("hasMore")) {
                return entries;
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
