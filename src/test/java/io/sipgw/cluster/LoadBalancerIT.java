package io.sipgw.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.auth.MemberCookie;
import io.sipgw.calls.SdpTest;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.FreePorts;
import io.sipgw.testing.GatewayCluster;
import io.sipgw.testing.GatewayProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * nginx in front of a cluster of two gateways (server-config/nginx, README "Load balancer (nginx)"), used
 * the way clients use it: every request and socket of the users goes through nginx; the members are
 * reached directly only to start, check and kill them. Each member has a route name
 * ({@code sipgw.cluster.route} a and b) and sets the cookie {@code SIPGW_MEMBER} naming itself on login; nginx
 * sends each user's requests to the member the cookie names (the others are its backups) and logins round
 * robin. Two users log in and land on the two members; messages with receipts and socket events, and a call
 * signalling round, go both ways; then the member holding alice's registration is killed ({@code kill -9}):
 * her requests fail over to the survivor, which takes her registration over and moves her cookie to itself;
 * her socket reconnected through nginx gets what is sent to her after the kill, and what was acknowledged
 * before it is in the history once. The members share a database of their own on the profile's PostgreSQL
 * ({@code sipgw_lb}), apart from {@link ClusterIT}'s.
 */
@Tag("cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancerIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String SESSION = "alice@127.0.0.1-bob@127.0.0.1";
    private static final String ANSWER = SdpTest.CHROME_OFFER.replace("4611731400430051336", "777")
            .replace("a=setup:actpass", "a=setup:active");

    /** Makes this run's messages unique in the history whatever ran before on the database. */
    private final String run = Long.toString(System.nanoTime(), 36);
    private final int registrarPort = FreePorts.find();
    private Path buildDir;
    private Path nginxDir;
    private GatewayCluster cluster;
    private GatewayProcess a;
    private GatewayProcess b;
    private String lb;
    private Api alicesClient;
    private Api bobsClient;
    private String alice;
    private String bob;
    private EventSocket aliceSocket;
    private EventSocket bobSocket;

    private String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + registrarPort;
    }

    @BeforeAll
    void startTwoMembersBehindNginx() throws Exception {
        buildDir = Path.of(System.getProperty("it.build.dir"));
        String db = createDatabase("sipgw_lb");
        cluster = new GatewayCluster("it-lb", db, registrarPort);
        // the embedded SIP server on B, the member that survives; A is the one killed
        a = cluster.start("A", "it-lb-a", "-Dsipgw.registrar.enabled=false", "-Dsipgw.cluster.route=a");
        b = cluster.start("B", "it-lb-b", "-Dsipgw.registrar.enabled=true", "-Dsipgw.cluster.route=b");
        cluster.assertSeesBothMembers("B");
        for (GatewayProcess m : List.of(a, b)) {
            Api.Result ready = m.api().get("/health/ready", null);
            assertEquals(200, ready.status(), ready.body());
        }

        nginxDir = buildDir.resolve("it-lb-nginx");
        int port = FreePorts.find();
        nginx("start", nginxDir.toString(), String.valueOf(port), "a=127.0.0.1:" + cluster.httpPort("A"),
                "b=127.0.0.1:" + cluster.httpPort("B"));
        lb = "http://127.0.0.1:" + port;
        alicesClient = Api.withCookies(lb);
        bobsClient = Api.withCookies(lb);
    }

    @AfterAll
    void stop() throws Exception {
        for (EventSocket s : new EventSocket[] {aliceSocket, bobSocket}) {
            if (s != null) {
                s.close();
            }
        }
        if (nginxDir != null) {
            nginx("stop", nginxDir.toString());
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void loginsGoRoundRobinAndTheMemberCookieKeepsEachUserOnHisMember() {
        Api.Result aliceLogin = login(alicesClient, "alice");
        Api.Result bobLogin = login(bobsClient, "bob");
        alice = aliceLogin.data().getString("token");
        bob = bobLogin.data().getString("token");
        // the spec's login answer, unchanged; the member is named in a cookie only
        for (Api.Result r : List.of(aliceLogin, bobLogin)) {
            assertTrue(r.json().getBoolean("success"), r.body());
            assertTrue(r.data().getJsonObject("sipConfig").getBoolean("registered"), r.body());
            String setCookie = r.header("Set-Cookie");
            assertNotNull(setCookie, "no member cookie on the login answer");
            assertTrue(setCookie.matches(MemberCookie.NAME + "=[ab]; Path=/; HttpOnly; SameSite=Strict"), setCookie);
        }
        // two logins without a cookie, round robin: one on each member (the first one on A)
        assertEquals("a", alicesClient.cookie(MemberCookie.NAME));
        assertEquals("b", bobsClient.cookie(MemberCookie.NAME));

        // sticky: each of alice's requests reaches the member holding her registration (only that member
        // says "registered"), and the cookie she sends already names it, so none is set again
        for (int i = 0; i < 6; i++) {
            for (Api client : List.of(alicesClient, bobsClient)) {
                Api.Result profile = client.get("/api/auth/profile", client == alicesClient ? alice : bob);
                assertEquals(200, profile.status(), profile.body());
                assertTrue(profile.data().getBoolean("registered"), "a request went to the other member: " + profile.body());
                assertNull(profile.header("Set-Cookie"), profile.body());
            }
        }
        // a client that does not keep the cookie is spread over both members: its SIP requests may be refused
        Api forgetful = new Api(lb, java.net.http.HttpClient.Version.HTTP_1_1);
        long registeredAnswers = 0;
        for (int i = 0; i < 4; i++) {
            if (forgetful.get("/api/auth/profile", alice).data().getBoolean("registered")) {
                registeredAnswers++;
            }
        }
        assertEquals(2, registeredAnswers, "without the cookie, requests go round robin");

        aliceSocket = EventSocket.open(alicesClient, alice);
        bobSocket = EventSocket.open(bobsClient, bob);
    }

    @Test
    @Order(2)
    void messagesAndReceiptsBothWaysWithSocketEventsThroughNginx() {
        String toBob = send(alicesClient, alice, "bob", "hello bob " + run);
        assertEquals("hello bob " + run, bobSocket.await("MESSAGE_RECEIVED",
                f -> f.getJsonObject("data").getString("messageId").equals(toBob), WAIT).getJsonObject("data").getString("content"));
        aliceSocket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(toBob)
                && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT);
        String bobsCopy = history(bobsClient, bob).stream().filter(m -> m.getString("content").equals("hello bob " + run))
                .findFirst().orElseThrow().getString("messageId");
        assertEquals(200, bobsClient.put("/api/messages/" + bobsCopy + "/read", null, bob).status());
        aliceSocket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(toBob)
                && f.getJsonObject("data").getString("newStatus").equals("READ"), WAIT);

        String toAlice = send(bobsClient, bob, "alice", "hello alice " + run);
        aliceSocket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("hello alice " + run), WAIT);
        bobSocket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(toAlice)
                && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT);

        // and a message sent over the socket (SEND_MESSAGE), which must reach the member holding bob's registration
        bobSocket.send(Json.createObjectBuilder().add("type", "SEND_MESSAGE").add("data", Json.createObjectBuilder()
                .add("to", uri("alice")).add("type", "TEXT").add("content", "over the socket " + run)).build().toString());
        aliceSocket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("over the socket " + run), WAIT);
    }

    @Test
    @Order(3)
    void callSignallingRoundThroughNginx() {
        Api.Result placed = alicesClient.post("/api/calls", Json.createObjectBuilder().add("to", uri("bob")).add("type", "AUDIO")
                .add("sdp", SdpTest.CHROME_OFFER).build().toString(), alice);
        assertEquals(200, placed.status(), placed.body());
        String callId = placed.data().getString("callId");
        String bobsCallId = bobSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");

        bobSocket.send(Json.createObjectBuilder().add("type", "ICE_CANDIDATE").add("data", Json.createObjectBuilder()
                .add("callId", bobsCallId).add("candidate", Json.createObjectBuilder()
                        .add("candidate", "candidate:2 1 UDP 2130706431 127.0.0.1 50002 typ host")
                        .add("sdpMLineIndex", 0).add("sdpMid", "0"))).build().toString());
        aliceSocket.await("ICE_CANDIDATE_RECEIVED", f -> isCall(f, callId), WAIT);

        Api.Result answered = bobsClient.put("/api/calls/" + bobsCallId + "/answer",
                Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), bob);
        assertEquals(200, answered.status(), answered.body());
        aliceSocket.await("CALL_STATE_CHANGED", f -> isCall(f, callId) && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
        bobSocket.await("CALL_STATE_CHANGED", f -> isCall(f, bobsCallId) && f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);

        assertEquals(200, alicesClient.delete("/api/calls/" + callId, alice).status());
        bobSocket.await("CALL_STATE_CHANGED", f -> isCall(f, bobsCallId) && f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);
        assertEquals("ENDED", bobsClient.get("/api/calls/" + bobsCallId, bob).data().getString("state"));
    }

    @Test
    @Order(4)
    void whenAlicesMemberIsKilledHerRequestsAndSocketFailOverToTheSurvivor() throws InterruptedException {
        String before = send(bobsClient, bob, "alice", "before the kill " + run);
        aliceSocket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("messageId") != null
                && f.getJsonObject("data").getString("content").equals("before the kill " + run), WAIT);
        assertNotNull(before);

        long killedAt = System.nanoTime();
        a.kill();
        // her socket went through nginx to A: nginx closes it when A's connection dies
        assertNotEquals(1000, aliceSocket.awaitClose(WAIT).code());

        // her client retries: nginx sends her requests (cookie a) to the backup B, which refuses SIP work
        // until it has taken her registration over (Hazelcast's failure detection, then the re-REGISTER), and
        // then answers with its own cookie
        long deadline = killedAt + Duration.ofSeconds(5 + 10 + 10).toNanos();
        Api.Result profile;
        do {
            profile = alicesClient.get("/api/auth/profile", alice);
            if (profile.status() == 200 && profile.data().getBoolean("registered")) {
                break;
            }
            Thread.sleep(200); // polling as a client would: there is no event to await for a takeover
        } while (System.nanoTime() < deadline);
        double took = (System.nanoTime() - killedAt) / 1e9;
        assertEquals(200, profile.status(), profile.body());
        assertTrue(profile.data().getBoolean("registered"), "B did not take alice over within " + took + " s: " + profile.body());
        assertEquals(MemberCookie.NAME + "=b; Path=/; HttpOnly; SameSite=Strict", profile.header("Set-Cookie"));
        assertEquals("b", alicesClient.cookie(MemberCookie.NAME));
        System.out.printf("LoadBalancerIT: alice served by B through nginx %.1f s after the kill of A%n", took);

        // her socket reconnected through nginx with the same token; messages both ways after the kill
        aliceSocket = EventSocket.open(alicesClient, alice);
        String after = send(bobsClient, bob, "alice", "after the kill " + run);
        aliceSocket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("after the kill " + run), WAIT);
        bobSocket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(after)
                && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT);
        String fromAlice = send(alicesClient, alice, "bob", "alice after the kill " + run);
        bobSocket.await("MESSAGE_RECEIVED", f -> f.getJsonObject("data").getString("content").equals("alice after the kill " + run), WAIT);
        aliceSocket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(fromAlice)
                && f.getJsonObject("data").getString("newStatus").equals("DELIVERED"), WAIT);

        // nothing acknowledged is lost or doubled: every message of this run is in the history once
        List<JsonObject> history = history(alicesClient, alice);
        for (String content : List.of("hello bob ", "hello alice ", "over the socket ", "before the kill ", "after the kill ",
                "alice after the kill ")) {
            assertEquals(1, history.stream().filter(m -> m.getString("content").equals(content + run)).count(),
                    content + run + " in " + history);
        }
    }

    private static boolean isCall(JsonObject frame, String callId) {
        return frame.getJsonObject("data").getString("callId").equals(callId);
    }

    private Api.Result login(Api client, String user) {
        Api.Result r = client.post("/api/auth/login", "{\"sipUri\":\"" + uri(user) + "\",\"password\":\"secret123\"}", null);
        assertEquals(200, r.status(), r.body());
        return r;
    }

    private String send(Api client, String token, String to, String content) {
        Api.Result r = client.post("/api/messages", "{\"to\":\"" + uri(to) + "\",\"type\":\"TEXT\",\"content\":\"" + content + "\"}", token);
        assertEquals(200, r.status(), r.body());
        return r.data().getString("messageId");
    }

    private List<JsonObject> history(Api client, String token) {
        Api.Result r = client.get("/api/messages/sessions/" + SESSION + "?size=100", token);
        assertEquals(200, r.status(), r.body());
        return r.data().getJsonArray("messages").getValuesAs(JsonObject.class);
    }

    private void nginx(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("it.basedir"), "server-config", "nginx", "nginx.sh").toString());
        command.addAll(List.of(args));
        Path out = buildDir.resolve("it-lb-nginx-" + args[0] + ".out");
        Files.createDirectories(buildDir);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " failed: " + Files.readString(out));
        }
    }

    /** A database of this test's own on the profile's PostgreSQL, owned by the role the members use. */
    private static String createDatabase(String name) throws SQLException {
        String server = "jdbc:postgresql://127.0.0.1:" + System.getProperty("it.postgres.port") + "/";
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name + " OWNER sipgw");
        }
        return server + name;
    }
}
