package io.sipgw.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.EventSocket;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * Admin-only data (statistics, call records, SIP configuration changes), the SIP configuration users read,
 * and the operations endpoints Payara serves beside the application (health, metrics, OpenAPI).
 */
@RunAsClient
class AdminIT extends GatewayIT {

    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Ad7v",
            "a=ice-pwd:bXk1cTJ4ZmxkZ3lqbmxsYWFz",
            "a=fingerprint:sha-256 4F:1C:3B:53:0E:A4:7C:2A:14:8B:EF:5E:CB:6D:F0:4C:15:4A:42:01:1C:4E:44:0D:D4:9E:39:6C:7F:B3:F8:11",
            "a=setup:actpass",
            "a=mid:0",
            "a=sendrecv",
            "a=rtcp-mux",
            "a=rtpmap:111 opus/48000/2",
            "a=rtpmap:0 PCMU/8000",
            "");
    private static final String ANSWER = OFFER.replace("4611731400430051336", "777").replace("a=setup:actpass", "a=setup:active");

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> raw(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.base() + path)).header("Accept", accept)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private Api.Result call(String token, String to, String sdp) {
        return api.post("/api/calls", Json.createObjectBuilder().add("to", to).add("type", "AUDIO").add("sdp", sdp).build().toString(), token);
    }

    @Test
    void normalUsersAreForbiddenFromAdminData() {
        String user = api.login(uri("t1"));
        for (String path : List.of("/api/stats/summary", "/api/admin/calls")) {
            Api.Result r = api.get(path, user);
            assertEquals(403, r.status(), path + ": " + r.body());
            assertEquals("FORBIDDEN", r.errorCode());
            assertEquals(401, api.get(path, null).status(), path);
        }
        Api.Result put = api.put("/api/config/sip", "{\"expires\":600}", user);
        assertEquals(403, put.status(), put.body());
        assertEquals("FORBIDDEN", put.errorCode());
    }

    @Test
    void usersReadTheSipConfigurationAndOnlyAdminsChangeIt() {
        String admin = api.login(uri("admin"));
        String user = api.login(uri("t2"));
        // back to the defaults, whatever an earlier run stored
        String reset = "{\"sipServer\":\"\",\"transport\":\"\",\"expires\":3600,\"outboundProxy\":\"\",\"stunServer\":\"\",\"turnServer\":\"\"}";
        assertEquals(200, api.put("/api/config/sip", reset, admin).status());

        Api.Result defaults = api.get("/api/config/sip", user);
        assertEquals(200, defaults.status(), defaults.body());
        JsonObject config = defaults.data();
        assertEquals(List.of("sipServer", "transport", "expires", "outboundProxy", "stunServer", "turnServer"),
                List.copyOf(config.keySet()));
        assertEquals("127.0.0.1:" + registrarPort, config.getString("sipServer"));
        assertEquals("UDP", config.getString("transport"));
        assertEquals(3600, config.getInt("expires"));
        assertEquals(JsonValue.NULL, config.get("outboundProxy"));
        assertEquals(JsonValue.NULL, config.get("stunServer"));

        Api.Result bad = api.put("/api/config/sip", "{\"sipServer\":\"pbx.example.com:70000\",\"transport\":\"SCTP\","
                + "\"expires\":30,\"outboundProxy\":\"no port\",\"stunServer\":\"stun:\",\"turnServer\":\"turn:relay.example.com\"}", admin);
        assertEquals(400, bad.status(), bad.body());
        assertEquals("VALIDATION_ERROR", bad.errorCode());
        assertEquals(Set.of("sipServer", "transport", "expires", "outboundProxy", "stunServer", "turnServer"),
                bad.json().getJsonObject("error").getJsonObject("details").keySet());

        // stored values become the gateway's own at its next start (the next test class's server): keep them
        // on loopback and put the defaults back whatever happens
        String server = "127.0.0.1:" + System.getProperty("it.spare.port");
        try {
            Api.Result changed = api.put("/api/config/sip", "{\"sipServer\":\"" + server + "\",\"transport\":\"tls\","
                    + "\"expires\":600,\"stunServer\":\"stun:stun.example.com:3478\",\"turnServer\":\"turn.example.com:3478\"}", admin);
            assertEquals(200, changed.status(), changed.body());
            assertEquals("配置已更新，重启后生效", changed.json().getString("message"));
            JsonObject stored = api.get("/api/config/sip", user).data();
            assertEquals(server, stored.getString("sipServer"));
            assertEquals("TLS", stored.getString("transport"));
            assertEquals(600, stored.getInt("expires"));
            assertEquals("stun:stun.example.com:3478", stored.getString("stunServer"));
            assertEquals("turn.example.com:3478", stored.getString("turnServer"));
            assertEquals(JsonValue.NULL, stored.get("outboundProxy"), "a field left out keeps its value");

            assertEquals(400, api.put("/api/config/sip", "{\"expires\":86401}", admin).status());
            assertEquals(600, api.get("/api/config/sip", user).data().getInt("expires"), "a rejected change changes nothing");
        } finally {
            assertEquals(200, api.put("/api/config/sip", reset, admin).status());
        }
        assertEquals("127.0.0.1:" + registrarPort, api.get("/api/config/sip", user).data().getString("sipServer"));
    }

    @Test
    void statisticsAndCallRecordsCountRealTraffic() {
        String admin = api.login(uri("admin"));
        String caller = api.login(uri("t3"));
        String callee = api.login(uri("t4"));
        JsonObject before = api.get("/api/stats/summary", admin).data();
        assertEquals(List.of("totalUsers", "onlineUsers", "totalCalls", "activeCalls", "totalMessages", "messagesLast24h",
                "serverUptime", "timestamp"), List.copyOf(before.keySet()));
        assertTrue(before.getJsonNumber("totalUsers").longValue() >= 25, before.toString());
        assertTrue(before.getJsonNumber("onlineUsers").longValue() >= 3, before.toString());
        assertTrue(before.getJsonNumber("serverUptime").longValue() > 0, before.toString());
        long callRecordsBefore = api.get("/api/admin/calls", admin).data().getJsonNumber("totalElements").longValue();

        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            Api.Result sent = api.post("/api/messages", "{\"to\":\"" + uri("t4") + "\",\"type\":\"TEXT\",\"content\":\"统计\"}", caller);
            assertEquals(200, sent.status(), sent.body());
            calleeSocket.await("MESSAGE_RECEIVED", WAIT);

            // an answered call: ACTIVE while it lasts, COMPLETED once hung up
            String callId = call(caller, uri("t4"), OFFER).data().getString("callId");
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, api.put("/api/calls/" + calleeCallId + "/answer", Json.createObjectBuilder().add("sdp", ANSWER)
                    .build().toString(), callee).status());
            callerSocket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
            calleeSocket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("newState").equals("ACTIVE"), WAIT);
            JsonObject during = api.get("/api/stats/summary", admin).data();
            assertEquals(before.getJsonNumber("activeCalls").longValue() + 1, during.getJsonNumber("activeCalls").longValue(), during.toString());
            assertEquals(200, api.delete("/api/calls/" + callId, caller).status());
            calleeSocket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);

            // a call the caller gives up while it rings: missed
            String cancelledId = call(caller, uri("t4"), OFFER).data().getString("callId");
            calleeSocket.await("INCOMING_CALL", WAIT);
            assertEquals(200, api.delete("/api/calls/" + cancelledId, caller).status());
            calleeSocket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("newState").equals("CANCELLED"), WAIT);

            JsonObject after = api.get("/api/stats/summary", admin).data();
            assertEquals(before.getJsonNumber("totalMessages").longValue() + 1, after.getJsonNumber("totalMessages").longValue(),
                    "a message between two gateway users counts once: " + after);
            assertEquals(before.getJsonNumber("messagesLast24h").longValue() + 1, after.getJsonNumber("messagesLast24h").longValue());
            assertEquals(before.getJsonNumber("totalCalls").longValue() + 2, after.getJsonNumber("totalCalls").longValue(),
                    "a call between two gateway users counts once: " + after);
            assertEquals(before.getJsonNumber("activeCalls").longValue(), after.getJsonNumber("activeCalls").longValue());
            assertEquals(before.getJsonNumber("totalUsers").longValue(), after.getJsonNumber("totalUsers").longValue());

            JsonObject records = api.get("/api/admin/calls?page=0&size=2", admin).data();
            assertEquals(callRecordsBefore + 2, records.getJsonNumber("totalElements").longValue(), records.toString());
            assertEquals(2, records.getInt("pageSize"));
            JsonObject missed = records.getJsonArray("content").getJsonObject(0);
            assertEquals(List.of("callId", "from", "to", "type", "duration", "startTime", "endTime", "status"),
                    List.copyOf(missed.keySet()));
            assertEquals(cancelledId, missed.getString("callId"), "the caller's side stands for the call");
            assertEquals("t3@127.0.0.1", missed.getString("from"));
            assertEquals("t4@127.0.0.1", missed.getString("to"));
            assertEquals("MISSED", missed.getString("status"));
            assertEquals(0, missed.getInt("duration"));
            JsonObject completed = records.getJsonArray("content").getJsonObject(1);
            assertEquals(callId, completed.getString("callId"));
            assertEquals("COMPLETED", completed.getString("status"));
            assertEquals("AUDIO", completed.getString("type"));
            assertTrue(completed.getString("endTime").endsWith("Z"), completed.toString());
        }
        Api.Result badPage = api.get("/api/admin/calls?size=201", admin);
        assertEquals(400, badPage.status(), badPage.body());
        assertEquals("VALIDATION_ERROR", badPage.errorCode());
    }

    @Test
    void healthIsServedBesideTheApplicationAndReadyWhenSipAndDatabaseAre() throws Exception {
        HttpResponse<String> ready = raw("/health/ready", "application/json");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonObject readiness = parse(ready.body());
        assertEquals("UP", readiness.getString("status"), ready.body());
        JsonObject check = readiness.getJsonArray("checks").stream().map(JsonValue::asJsonObject)
                .filter(c -> c.getString("name").equals("sipgw")).findFirst().orElseThrow(() -> new AssertionError(ready.body()));
        assertEquals("listening", check.getJsonObject("data").getString("sipUserAgent"));
        assertEquals("up", check.getJsonObject("data").getString("database"));
        assertEquals("running", check.getJsonObject("data").getString("embeddedSipServer"));
        HttpResponse<String> live = raw("/health/live", "application/json");
        assertEquals(200, live.statusCode(), live.body());
        assertEquals("UP", parse(live.body()).getString("status"));
        HttpResponse<String> all = raw("/health", "application/json");
        assertEquals(200, all.statusCode(), all.body());
    }

    @Test
    void metricsShowTheGatewayMeters() throws Exception {
        String user = api.login(uri("t5"));
        try (EventSocket socket = EventSocket.open(api, user)) {
            socket.send("{\"type\":\"PING\"}");
            socket.await("PONG", WAIT);
            HttpResponse<String> metrics = raw("/metrics", "text/plain");
            assertEquals(200, metrics.statusCode(), metrics.body());
            String text = metrics.body();
            for (String name : List.of("sipgw_logins_total", "sipgw_messages_sent_total", "sipgw_messages_received_total",
                    "sipgw_registrations_active", "sipgw_websocket_sessions")) {
                assertTrue(text.contains(name), name + " missing from /metrics:\n" + text.lines()
                        .filter(l -> l.contains("sipgw")).toList());
            }
            assertTrue(text.lines().anyMatch(l -> l.startsWith("sipgw_websocket_sessions") && !l.endsWith(" 0")
                    && !l.endsWith(" 0.0")), "an open socket is counted");
        }
    }

    @Test
    void metricsCountEachLoginMessageAndFinishedCallOnce() throws Exception {
        double logins = counter("sipgw_logins_total");
        String caller = api.login(uri("t6"));
        String callee = api.login(uri("t7"));
        assertEquals(logins + 2, counter("sipgw_logins_total"));
        try (EventSocket callerSocket = EventSocket.open(api, caller); EventSocket calleeSocket = EventSocket.open(api, callee)) {
            double sent = counter("sipgw_messages_sent_total");
            double received = counter("sipgw_messages_received_total");
            String message = "{\"to\":\"" + uri("t7") + "\",\"type\":\"TEXT\",\"content\":\"计数\",\"metadata\":{\"clientMsgId\":\""
                    + UUID.randomUUID() + "\"}}";
            assertEquals(200, api.post("/api/messages", message, caller).status());
            assertEquals(200, api.post("/api/messages", message, caller).status(), "a retry answers the stored message");
            calleeSocket.await("MESSAGE_RECEIVED", WAIT);
            assertEquals(sent + 1, counter("sipgw_messages_sent_total"), "a retry with the same clientMsgId is not another message");
            assertEquals(received + 1, counterReaching(received + 1, WAIT, "sipgw_messages_received_total"));

            String[] outgoing = {"sipgw_calls_finished_total", "direction=\"outgoing\"", "outcome=\"rejected\""};
            String[] incoming = {"sipgw_calls_finished_total", "direction=\"incoming\"", "outcome=\"rejected\""};
            double rejectedOut = counter(outgoing);
            double rejectedIn = counter(incoming);
            call(caller, uri("t7"), OFFER);
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, api.put("/api/calls/" + calleeCallId + "/reject", null, callee).status());
            callerSocket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("newState").equals("REJECTED"), WAIT);
            assertEquals(rejectedOut + 1, counterReaching(rejectedOut + 1, WAIT, outgoing), "the caller's side");
            assertEquals(rejectedIn + 1, counterReaching(rejectedIn + 1, WAIT, incoming), "the callee's side");
        }
    }

    /**
     * A counter's value in {@code /metrics}, 0 while it has no line: the first line of {@code filter[0]} that
     * contains every other element of {@code filter} (labels such as {@code outcome="ended"}).
     */
    private double counter(String... filter) throws Exception {
        HttpResponse<String> metrics = raw("/metrics?scope=application", "text/plain");
        assertEquals(200, metrics.statusCode(), metrics.body());
        return metrics.body().lines()
                .filter(l -> l.startsWith(filter[0] + " ") || l.startsWith(filter[0] + "{"))
                .filter(l -> List.of(filter).subList(1, filter.length).stream().allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }

    /**
     * The counter once it reached {@code expected}, or its value after {@code within}: counters follow events
     * after their transaction commits, as the socket frames do, so one may lag behind the frame a client saw.
     */
    private double counterReaching(double expected, Duration within, String... filter) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        double value = counter(filter);
        while (value < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            value = counter(filter);
        }
        return value;
    }

    @Test
    void openApiListsEveryPathOfTheSpec() throws Exception {
        HttpResponse<String> openapi = raw("/openapi", "application/json");
        assertEquals(200, openapi.statusCode(), openapi.body());
        JsonObject document = parse(openapi.body());
        assertEquals("sipgw", document.getJsonObject("info").getString("title"));
        JsonObject paths = document.getJsonObject("paths");
        for (String path : List.of("/api/auth/login", "/api/auth/logout", "/api/auth/profile", "/api/auth/status",
                "/api/users", "/api/users/{userId}", "/api/messages", "/api/messages/sessions",
                "/api/messages/sessions/{sessionId}", "/api/messages/{messageId}/read", "/api/calls",
                "/api/calls/{callId}/answer", "/api/calls/{callId}/reject", "/api/calls/{callId}", "/api/calls/history",
                "/api/config/sip", "/api/stats/summary", "/api/admin/calls")) {
            assertTrue(paths.containsKey(path), path + " missing; listed: " + paths.keySet());
        }
    }
}
