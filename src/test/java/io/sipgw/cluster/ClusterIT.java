package io.sipgw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.calls.SdpTest;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.FreePorts;
import io.sipgw.testing.GatewayCluster;
import io.sipgw.testing.GatewayProcess;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sip.RequestEvent;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ExtensionHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateways on a Payara Micro cluster (Payara's Hazelcast over TCP on loopback) sharing one PostgreSQL
 * database (started by the {@code cluster} profile): instance B runs the embedded SIP server, both register
 * their users there. alice logs in on A, bob on B; bob also has a socket on A, where he never logged in.
 * Every event (messages, receipts, presence, calls, ICE) reaches each of a user's sockets exactly once,
 * whichever instance it happened on; history and calls read the same through either; a logout on A is
 * refused by B within a second; failed logins through A lock the user on B. Then A is killed
 * ({@code kill -9}): B registers A's users again and they get their messages through B, B ends its legs of
 * calls with A and closes A's calls, and sends again the message A acknowledged without an answer. Last, A
 * joins again.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SESSION = "alice@127.0.0.1-bob@127.0.0.1";
    private static final String ANSWER = SdpTest.CHROME_OFFER.replace("4611731400430051336", "777")
            .replace("a=setup:actpass", "a=setup:active");

    private final int registrarPort = FreePorts.find();
    private GatewayCluster cluster;
    private GatewayProcess a;
    private GatewayProcess b;
    private Api onA;
    private Api onB;
    private String alice;
    private String bob;
    private EventSocket aliceOnA;
    private EventSocket bobOnB;
    private EventSocket bobOnA;

    private String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + registrarPort;
    }

    @BeforeAll
    void startTwoMembers() throws Exception {
        String db = "jdbc:postgresql://127.0.0.1:" + System.getProperty("it.postgres.port") + "/sipgw";
        cluster = new GatewayCluster("it-cluster", db, registrarPort);
        a = cluster.start("A", "it-cluster-a", "-Dsipgw.registrar.enabled=false");
        b = cluster.start("B", "it-cluster-b", "-Dsipgw.registrar.enabled=true");
        cluster.assertSeesBothMembers("B");
        onA = a.api();
        onB = b.api();
        Api.Result ready = onB.get("/health/ready", null);
        assertEquals(200, ready.status(), ready.body());
        assertTrue(ready.body().matches("(?s).*\"clusterMembers\"\\s*:\\s*\"\\[127\\.0\\.0\\.1\\]:\\d+ \\[127\\.0\\.0\\.1\\]:\\d+\".*"),
                ready.body());
        alice = onA.login(uri("alice"));
        bob = onB.login(uri("bob"));
        aliceOnA = EventSocket.open(onA, alice);
        bobOnB = EventSocket.open(onB, bob);
        bobOnA = EventSocket.open(onA, bob);
    }

    @AfterAll
    void stop() throws InterruptedException {
        for (EventSocket s : new EventSocket[] {aliceOnA, bobOnB, bobOnA}) {
            if (s != null) {
                s.close();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void messagesAndReceiptsReachEverySocketOfTheUserOnce() {
        // alice (A) -> bob (B): the MESSAGE is stored and framed on B; bob's socket on A gets it through the cluster
        String toBob = send(onA, alice, "bob", "hello from A");
        Predicate<JsonObject> isToBob = f -> f.getJsonObject("data").getString("messageId").equals(toBob);
        assertEquals("hello from A", bobOnB.await("MESSAGE_RECEIVED", isToBob, WAIT).getJsonObject("data").getString("content"));
        bobOnA.await("MESSAGE_RECEIVED", isToBob, WAIT);
        assertEquals("DELIVERED", aliceOnA.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId")
                .equals(toBob) && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT)
                .getJsonObject("data").getString("newStatus"));

        // bob reads it on B: the receipt is fired on B and reaches alice on A
        String bobsCopy = history(onB, bob).stream().filter(m -> m.getString("content").equals("hello from A"))
                .findFirst().orElseThrow().getString("messageId");
        assertEquals(200, onB.put("/api/messages/" + bobsCopy + "/read", null, bob).status());
        aliceOnA.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(toBob)
                && f.getJsonObject("data").getString("newStatus").equals("READ"), WAIT);

        // bob (B) -> alice (A): received on A, bob's DELIVERED on B reaches both of bob's sockets
        String toAlice = send(onB, bob, "alice", "hello from B");
        aliceOnA.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("hello from B"), WAIT);
        Predicate<JsonObject> delivered = f -> f.getJsonObject("data").getString("messageId").equals(toAlice)
                && f.getJsonObject("data").getString("newStatus").equals("DELIVERED");
        bobOnB.await("MESSAGE_STATUS_UPDATED", delivered, WAIT);
        bobOnA.await("MESSAGE_STATUS_UPDATED", delivered, WAIT);

        // once each: after a last message, bob's socket on A saw no second copy of anything
        String marker = send(onA, alice, "bob", "marker");
        List<JsonObject> seen = new ArrayList<>(bobOnA.framesUntil("MESSAGE_RECEIVED",
                f -> f.getJsonObject("data").getString("messageId").equals(marker), WAIT));
        seen.addAll(bobOnA.drain());
        assertEquals(1, seen.stream().filter(f -> f.getString("type").equals("MESSAGE_RECEIVED")).count(), "frames: " + seen);
        assertEquals(0, seen.stream().filter(f -> f.getString("type").equals("MESSAGE_STATUS_UPDATED")).count(), "frames: " + seen);
    }

    @Test
    @Order(2)
    void historyIsTheSameThroughEitherInstance() {
        for (Api api : List.of(onA, onB)) {
            List<JsonObject> alices = history(api, alice);
            JsonObject sent = alices.stream().filter(m -> m.getString("content").equals("hello from A")).findFirst().orElseThrow();
            assertEquals("READ", sent.getString("status"), "alice's first message through " + api.base());
            assertTrue(alices.stream().anyMatch(m -> m.getString("content").equals("hello from B")), "through " + api.base());
            List<JsonObject> bobs = history(api, bob);
            assertTrue(bobs.stream().anyMatch(m -> m.getString("content").equals("hello from A")), "through " + api.base());
            assertTrue(bobs.stream().anyMatch(m -> m.getString("content").equals("hello from B")), "through " + api.base());
        }
    }

    @Test
    @Order(3)
    void presenceChangesAreSeenOnTheOtherInstance() {
        assertEquals(200, onB.put("/api/auth/status", "{\"status\":\"AWAY\",\"statusMessage\":\"lunch\"}", bob).status());
        JsonObject change = aliceOnA.await("USER_STATUS_CHANGED",
                f -> f.getJsonObject("data").getString("userId").equals("bob@127.0.0.1"), WAIT).getJsonObject("data");
        assertEquals("AWAY", change.getString("newStatus"));
        assertEquals("AWAY", onA.get("/api/users/bob@127.0.0.1", alice).data().getString("status"));

        assertEquals(200, onA.put("/api/auth/status", "{\"status\":\"BUSY\"}", alice).status());
        for (EventSocket bobs : List.of(bobOnB, bobOnA)) {
            assertEquals("BUSY", bobs.await("USER_STATUS_CHANGED",
                    f -> f.getJsonObject("data").getString("userId").equals("alice@127.0.0.1"), WAIT)
                    .getJsonObject("data").getString("newStatus"));
        }
    }

    @Test
    @Order(4)
    void callSignallingReachesBothSidesAcrossInstances() {
        Api.Result placed = onA.post("/api/calls", Json.createObjectBuilder().add("to", uri("bob")).add("type", "AUDIO")
                .add("sdp", SdpTest.CHROME_OFFER).build().toString(), alice);
        assertEquals(200, placed.status(), placed.body());
        String callId = placed.data().getString("callId");

        // the INVITE reaches B's user agent; INCOMING_CALL is fired on B and reaches bob's socket on A too
        String bobsCallId = bobOnB.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
        assertEquals(bobsCallId, bobOnA.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId"));

        // trickle ICE from bob's socket on B (where his leg is) -> INFO -> alice's leg on A
        bobOnB.send(Json.createObjectBuilder().add("type", "ICE_CANDIDATE").add("data", Json.createObjectBuilder()
                .add("callId", bobsCallId).add("candidate", Json.createObjectBuilder()
                        .add("candidate", "candidate:2 1 UDP 2130706431 127.0.0.1 50002 typ host")
                        .add("sdpMLineIndex", 0).add("sdpMid", "0"))).build().toString());
        aliceOnA.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT);

        Api.Result answered = onB.put("/api/calls/" + bobsCallId + "/answer",
                Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), bob);
        assertEquals(200, answered.status(), answered.body());
        assertEquals("ACTIVE", aliceOnA.await("CALL_STATE_CHANGED", f -> isCall(f, callId), WAIT)
                .getJsonObject("data").getString("newState"));
        for (EventSocket bobs : List.of(bobOnB, bobOnA)) {
            bobs.await("CALL_STATE_CHANGED", f -> isCall(f, bobsCallId)
                    && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
        }

        assertEquals(200, onA.delete("/api/calls/" + callId, alice).status());
        for (EventSocket bobs : List.of(bobOnB, bobOnA)) {
            bobs.await("CALL_STATE_CHANGED", f -> isCall(f, bobsCallId)
                    && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);
        }
        // the call's rows, written by both members, read through the other one
        assertEquals("ENDED", onB.get("/api/calls/" + callId, alice).data().getString("state"));
        assertEquals("ENDED", onA.get("/api/calls/" + bobsCallId, bob).data().getString("state"));
    }

    @Test
    @Order(5)
    void logoutOnOneInstanceRevokesTheTokenOnTheOther() throws InterruptedException {
        assertEquals(200, onB.get("/api/auth/profile", alice).status());
        try (EventSocket aliceOnB = EventSocket.open(onB, alice)) {
            assertEquals(200, onA.post("/api/auth/logout", null, alice).status());
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            int status;
            do {
                status = onB.get("/api/auth/profile", alice).status();
            } while (status != 401 && System.nanoTime() < deadline);
            assertEquals(401, status, "alice's token still accepted by B a second after her logout on A");
            assertEquals(1000, aliceOnB.awaitClose(WAIT).code());
        }
    }

    @Test
    @Order(6)
    void logoutThroughAnotherMemberEndsTheSessionWhereItIsHeld() throws InterruptedException {
        double registrationsOnA = onA.gauge("sipgw_registrations_active");
        String dave = onA.login(uri("dave"));
        assertEquals(registrationsOnA + 1, onA.gauge("sipgw_registrations_active"));
        assertEquals("ONLINE", onB.get("/api/users/dave@127.0.0.1", bob).data().getString("status"));

        assertEquals(200, onB.post("/api/auth/logout", null, dave).status());
        bobOnB.await("USER_STATUS_CHANGED", f -> f.getJsonObject("data").getString("userId").equals("dave@127.0.0.1")
                && f.getJsonObject("data").getString("newStatus").equals("OFFLINE"), WAIT);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (onA.gauge("sipgw_registrations_active") > registrationsOnA && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling A's gauge: there is no event to await for a registration's end
        }
        assertEquals(registrationsOnA, onA.gauge("sipgw_registrations_active"), "A still holds dave's registration");
        assertEquals(401, onA.get("/api/auth/profile", dave).status());
    }

    @Test
    @Order(7)
    void failedLoginsThroughOneMemberLockTheUserOnTheOther() {
        // the REST login throttle's counters are the cluster's: 5 failures of t16 through A lock t16 on B
        for (int i = 1; i <= 5; i++) {
            Api.Result wrong = onA.post("/api/auth/login", "{\"sipUri\":\"" + uri("t16") + "\",\"password\":\"guess" + i + "\"}", null);
            assertEquals(401, wrong.status(), "failure " + i + ": " + wrong.body());
        }
        Api.Result locked = onB.post("/api/auth/login", "{\"sipUri\":\"" + uri("t16") + "\",\"password\":\"secret123\"}", null);
        assertEquals(429, locked.status(), "even the right password is refused on B: " + locked.body());
        assertTrue(locked.body().contains("TOO_MANY_ATTEMPTS"), locked.body());
        int retryAfter = Integer.parseInt(locked.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
    }

    @Test
    @Order(8)
    void whenAMemberIsKilledAnotherTakesItsUsersCallsAndMessagesOver() throws Exception {
        String carol = onA.login(uri("carol"));
        double liveCallsOnB = onB.gauge("sipgw_calls_live");
        try (EventSocket carolOnA = EventSocket.open(onA, carol);
             EventSocket carolOnB = EventSocket.open(onB, carol); // sees what B does to carol's calls after the kill
             SipPhone phone = new SipPhone("t15", "127.0.0.1", "127.0.0.1", registrarPort, FreePorts.find())) {
            send(onB, bob, "carol", "before the kill");
            carolOnA.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("before the kill"), WAIT);

            // an active call carol (A) -> bob (B), and a call bob (B) -> carol (A) still ringing
            Api.Result placed = onA.post("/api/calls", Json.createObjectBuilder().add("to", uri("bob")).add("type", "AUDIO")
                    .add("sdp", SdpTest.CHROME_OFFER).build().toString(), carol);
            assertEquals(200, placed.status(), placed.body());
            String carolsActive = placed.data().getString("callId");
            String bobsActive = bobOnB.await("INCOMING_CALL", f -> f.getJsonObject("data").getJsonObject("fromUser")
                    .getString("userId").equals("carol@127.0.0.1"), WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, onB.put("/api/calls/" + bobsActive + "/answer",
                    Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), bob).status());
            carolOnA.await("CALL_STATE_CHANGED", f -> isCall(f, carolsActive) && newState(f).equals("ACTIVE"), WAIT);
            Api.Result ringing = onB.post("/api/calls", Json.createObjectBuilder().add("to", uri("carol")).add("type", "AUDIO")
                    .add("sdp", SdpTest.CHROME_OFFER).build().toString(), bob);
            assertEquals(200, ringing.status(), ringing.body());
            String bobsRinging = ringing.data().getString("callId");
            String carolsRinging = carolOnA.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(liveCallsOnB + 2, onB.gauge("sipgw_calls_live"));

            // a message A acknowledged (SENT) that the phone t15 never answers while A lives
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            Api.Result unanswered = onA.post("/api/messages", "{\"to\":\"" + uri("t15") + "\",\"type\":\"TEXT\","
                    + "\"content\":\"no answer before the kill\",\"metadata\":{\"clientMsgId\":\"c-unanswered\"}}", carol);
            assertEquals(200, unanswered.status(), unanswered.body());
            assertEquals("SENT", unanswered.data().getString("status"));
            String unansweredId = unanswered.data().getString("messageId");
            String firstCallId = ((CallIdHeader) phone.awaitRequest("MESSAGE").getRequest().getHeader(CallIdHeader.NAME)).getCallId();
            double registrationsOnB = onB.gauge("sipgw_registrations_active");

            long killedAt = System.nanoTime();
            a.kill();
            // B notices (Hazelcast's failure detection, 5 s here) and registers carol within takeover-seconds (10)
            long deadline = killedAt + Duration.ofSeconds(5 + 10 + 5).toNanos();
            while (onB.gauge("sipgw_registrations_active") < registrationsOnB + 1 && System.nanoTime() < deadline) {
                Thread.sleep(200); // polling B's gauge: there is no event to await for a registration
            }
            double took = (System.nanoTime() - killedAt) / 1e9;
            assertEquals(registrationsOnB + 1, onB.gauge("sipgw_registrations_active"),
                    "B did not take carol's registration over within " + took + " s; see target/it-cluster-b.log");
            System.out.printf("ClusterIT: B took A's registrations over %.1f s after the kill%n", took);

            // the calls: bob's legs on B end (BYE to the answered one, CANCEL to the ringing one), carol's rows
            // that A held are closed by B; each side hears of it on its sockets
            for (JsonObject ended : awaitEach(bobOnB, "CALL_STATE_CHANGED", List.of(
                    f -> isCall(f, bobsActive) && newState(f).equals("ENDED"), f -> isCall(f, bobsRinging) && newState(f).equals("FAILED")))) {
                assertEquals("gateway member lost", ended.getJsonObject("data").getString("reason"));
            }
            for (JsonObject closed : awaitEach(carolOnB, "CALL_STATE_CHANGED", List.of(
                    f -> isCall(f, carolsActive) && newState(f).equals("ENDED"), f -> isCall(f, carolsRinging) && newState(f).equals("FAILED")))) {
                assertEquals("gateway member lost", closed.getJsonObject("data").getString("reason"));
            }
            System.out.printf("ClusterIT: A's calls closed %.1f s after the kill%n", (System.nanoTime() - killedAt) / 1e9);
            assertEquals("ENDED", onB.get("/api/calls/" + carolsActive, carol).data().getString("state"));
            assertEquals("FAILED", onB.get("/api/calls/" + carolsRinging, carol).data().getString("state"));
            assertEquals("FAILED", onB.get("/api/calls/" + bobsRinging, bob).data().getString("state"));
            assertEquals(liveCallsOnB, onB.gauge("sipgw_calls_live"), "B still holds a leg of a call with A");

            // the message A acknowledged goes out again through carol's registration on B (same messageId),
            // is answered this time, and carol hears DELIVERED; her retry with the same clientMsgId sends nothing
            RequestEvent again = phone.awaitRequest("MESSAGE",
                    r -> !((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId().equals(firstCallId));
            assertEquals(unansweredId, ((ExtensionHeader) again.getRequest().getHeader("X-Sipgw-Message-Id")).getValue());
            phone.answer(again, 200);
            carolOnB.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(unansweredId)
                    && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT);
            System.out.printf("ClusterIT: A's unanswered message delivered through B %.1f s after the kill%n",
                    (System.nanoTime() - killedAt) / 1e9);
            Api.Result retry = onB.post("/api/messages", "{\"to\":\"" + uri("t15") + "\",\"type\":\"TEXT\","
                    + "\"content\":\"no answer before the kill\",\"metadata\":{\"clientMsgId\":\"c-unanswered\"}}", carol);
            assertEquals(200, retry.status(), retry.body());
            assertEquals(unansweredId, retry.data().getString("messageId"));
            List<JsonObject> toPhone = onB.get("/api/messages/sessions/carol@127.0.0.1-t15@127.0.0.1?size=100", carol).data()
                    .getJsonArray("messages").getValuesAs(JsonObject.class);
            assertEquals(1, toPhone.size(), "history: " + toPhone);
            assertEquals("DELIVERED", toPhone.get(0).getString("status"));
        }

        // carol's client reconnects to B with the same token; a message sent to her now reaches her there
        try (EventSocket carolOnB = EventSocket.open(onB, carol)) {
            String after = send(onB, bob, "carol", "after the kill");
            carolOnB.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("after the kill"), WAIT);
            bobOnB.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(after)
                    && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT);
        }
        // what was acknowledged before the kill is there once
        List<JsonObject> carols = onB.get("/api/messages/sessions/bob@127.0.0.1-carol@127.0.0.1?size=100", carol).data()
                .getJsonArray("messages").getValuesAs(JsonObject.class);
        assertEquals(1, carols.stream().filter(m -> m.getString("content").equals("before the kill")).count(), "history: " + carols);
        assertEquals(1, carols.stream().filter(m -> m.getString("content").equals("after the kill")).count(), "history: " + carols);
    }

    @Test
    @Order(9)
    void aMemberJoiningARunningClusterKeepsPresenceCallsAndGetsEvents() throws Exception {
        // a call live on B while A starts again: a joining member must not take it for a leftover of its own
        String carol = onB.login(uri("carol")); // B holds her registration now: a second token there
        String bobsCallId;
        String carolsCallId;
        try (EventSocket carolOnB = EventSocket.open(onB, carol)) {
            Api.Result placed = onB.post("/api/calls", Json.createObjectBuilder().add("to", uri("carol")).add("type", "AUDIO")
                    .add("sdp", SdpTest.CHROME_OFFER).build().toString(), bob);
            assertEquals(200, placed.status(), placed.body());
            bobsCallId = placed.data().getString("callId");
            carolsCallId = carolOnB.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, onB.put("/api/calls/" + carolsCallId + "/answer",
                    Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), carol).status());
            bobOnB.await("CALL_STATE_CHANGED", f -> isCall(f, bobsCallId)
                    && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
        }

        a = cluster.restart("A", "it-cluster-a-again");
        onA = a.api();
        assertTrue(a.log().contains("presence left as the other members hold it"), "see target/it-cluster-a-again.log");
        // carol (taken over by B) and bob are still online, and their call still active, read through the new member
        assertEquals("ONLINE", onA.get("/api/users/carol@127.0.0.1", bob).data().getString("status"));
        assertEquals("AWAY", onA.get("/api/users/bob@127.0.0.1", bob).data().getString("status"));
        assertEquals("ACTIVE", onA.get("/api/calls/" + bobsCallId, bob).data().getString("state"));
        assertEquals("ACTIVE", onA.get("/api/calls/" + carolsCallId, carol).data().getString("state"));
        assertEquals(200, onB.delete("/api/calls/" + bobsCallId, bob).status());

        try (EventSocket bobOnNewA = EventSocket.open(onA, bob)) {
            send(onB, carol, "bob", "to the new member");
            bobOnNewA.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("to the new member"), WAIT);
        }
    }

    /** One frame of {@code type} matching each of {@code wanted}, in whatever order they come; others are skipped. */
    private static List<JsonObject> awaitEach(EventSocket socket, String type, List<Predicate<JsonObject>> wanted) {
        List<Predicate<JsonObject>> left = new ArrayList<>(wanted);
        List<JsonObject> found = new ArrayList<>();
        while (!left.isEmpty()) {
            JsonObject frame = socket.await(type, f -> left.stream().anyMatch(p -> p.test(f)), WAIT);
            left.removeIf(p -> p.test(frame));
            found.add(frame);
        }
        return found;
    }

    private static String newState(JsonObject frame) {
        return frame.getJsonObject("data").getString("newState");
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return frame.getJsonObject("data").getString("callId").equals(callId);
    }

    private String send(Api api, String token, String to, String content) {
        Api.Result r = api.post("/api/messages", "{\"to\":\"" + uri(to) + "\",\"type\":\"TEXT\",\"content\":\"" + content + "\"}", token);
        assertEquals(200, r.status(), r.body());
        return r.data().getString("messageId");
    }

    private List<JsonObject> history(Api api, String token) {
        Api.Result r = api.get("/api/messages/sessions/" + SESSION + "?size=100", token);
        assertEquals(200, r.status(), r.body());
        return r.data().getJsonArray("messages").getValuesAs(JsonObject.class);
    }
}
