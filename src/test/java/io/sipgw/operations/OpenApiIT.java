package io.sipgw.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.ResourceClasses;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /openapi} (JSON): it describes every resource method with its typed answer,
 * body, parameters, errors and security, and what it describes is what the server sends: real answers of
 * real requests are checked against the document's schemas, field by field.
 */
@RunAsClient
class OpenApiIT extends GatewayIT {

    private static final String OFFER = String.join("\r\n", "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-",
            "t=0 0", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=ice-ufrag:Ad7v",
            "a=ice-pwd:bXk1cTJ4ZmxkZ3lqbmxsYWFz",
            "a=fingerprint:sha-256 4F:1C:3B:53:0E:A4:7C:2A:14:8B:EF:5E:CB:6D:F0:4C:15:4A:42:01:1C:4E:44:0D:D4:9E:39:6C:7F:B3:F8:11",
            "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtpmap:111 opus/48000/2", "");
    private static final String ANSWER = OFFER.replace("4611731400430051336", "777").replace("a=setup:actpass", "a=setup:active");

    private static JsonObject document;

    private JsonObject document() throws Exception {
        if (document == null) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base() + "/openapi"))
                    .header("Accept", "application/json").timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            try (var reader = Json.createReader(new StringReader(response.body()))) {
                document = reader.readObject();
            }
        }
        return document;
    }

    private JsonObject operation(String method, String path) throws Exception {
        JsonObject item = document().getJsonObject("paths").getJsonObject(path);
        assertNotNull(item, path + " missing");
        JsonObject operation = item.getJsonObject(method.toLowerCase(Locale.ROOT));
        assertNotNull(operation, method + " " + path + " missing");
        return operation;
    }

    private JsonObject component(String name) throws Exception {
        JsonObject schema = document().getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
        assertNotNull(schema, "schema " + name + " missing");
        return schema;
    }

    private JsonObject resolve(JsonObject schema) throws Exception {
        return schema.containsKey("$ref") ? component(refName(schema)) : schema;
    }

    private static String refName(JsonObject schema) {
        String ref = schema.getString("$ref");
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private JsonObject responseSchema(JsonObject operation, int status) throws Exception {
        JsonObject response = operation.getJsonObject("responses").getJsonObject(String.valueOf(status));
        assertNotNull(response, operation.getString("operationId") + " does not document " + status);
        return resolve(response.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema"));
    }

    private JsonObject property(JsonObject schema, String name) throws Exception {
        JsonObject properties = resolve(schema).getJsonObject("properties");
        assertTrue(properties.containsKey(name), name + " missing from " + schema);
        return resolve(properties.getJsonObject(name));
    }

    private static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }

    @Test
    void everyResourceMethodIsAnOperationWithATypedAnswerAndItsErrors() throws Exception {
        String root = io.sipgw.JaxRsActivator.class.getAnnotation(ApplicationPath.class).value();
        Set<String> operationIds = new TreeSet<>();
        int count = 0;
        for (Class<?> resource : ResourceClasses.all()) {
            for (Method method : resource.getDeclaredMethods()) {
                String http = Stream.of(method.getAnnotations()).map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                        .filter(h -> h != null).map(HttpMethod::value).findFirst().orElse(null);
                if (http == null) {
                    continue;
                }
                String path = Stream.of(root, resource.getAnnotation(Path.class).value(),
                                method.isAnnotationPresent(Path.class) ? method.getAnnotation(Path.class).value() : "")
                        .map(p -> p.replaceAll("^/|/$", "")).filter(p -> !p.isEmpty()).collect(Collectors.joining("/", "/", ""));
                JsonObject operation = operation(http, path);
                count++;
                assertTrue(operationIds.add(operation.getString("operationId")), "operationIds are unique");
                JsonObject ok = operation.getJsonObject("responses").getJsonObject("200");
                assertNotNull(ok, path);
                String envelope = refName(ok.getJsonObject("content").getJsonObject("application/json").getJsonObject("schema"));
                assertTrue(envelope.endsWith("Envelope"), http + " " + path + ": " + envelope);
                for (String status : operation.getJsonObject("responses").keySet()) {
                    if (status.equals("200")) {
                        continue;
                    }
                    JsonObject error = property(responseSchema(operation, Integer.parseInt(status)), "error");
                    List<String> codes = strings(property(error, "code").getJsonArray("enum"));
                    assertFalse(codes.isEmpty(), path + " " + status);
                    for (String code : codes) {
                        assertEquals(Integer.parseInt(status), io.sipgw.api.ErrorCode.valueOf(code).httpStatus(), path + " " + code);
                    }
                }
                assertTrue(operation.getJsonObject("responses").containsKey("500"), path);
                boolean open = method.isAnnotationPresent(PermitAll.class);
                RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                        : resource.getAnnotation(RolesAllowed.class);
                if (!open && !List.of(roles.value()).contains("user")) {
                    assertTrue(strings(property(property(responseSchema(operation, 403), "error"), "code").getJsonArray("enum"))
                            .contains("FORBIDDEN"), path + " is for " + List.of(roles.value()) + " only");
                }
                JsonArray security = operation.getJsonArray("security");
                if (open) {
                    assertTrue(security == null || security.isEmpty(), path + " needs no token");
                    JsonObject unauthorized = operation.getJsonObject("responses").getJsonObject("401");
                    if (unauthorized != null) {
                        assertFalse(strings(property(property(responseSchema(operation, 401), "error"), "code")
                                .getJsonArray("enum")).contains("INVALID_TOKEN"), path);
                    }
                } else {
                    assertEquals(Set.of("bearerJwt"), security.getJsonObject(0).keySet(), path);
                    assertTrue(strings(property(property(responseSchema(operation, 401), "error"), "code").getJsonArray("enum"))
                            .containsAll(List.of("INVALID_TOKEN", "TOKEN_EXPIRED")), path);
                }
            }
        }
        assertEquals(21, count, "the spec's 20 operations (18 paths) and POST /calls/{callId}/dtmf");
        long documented = document().getJsonObject("paths").values().stream().mapToLong(p -> p.asJsonObject().size()).sum();
        assertEquals(count, documented, "the document lists no operation the server lacks");

        JsonObject bearer = document().getJsonObject("components").getJsonObject("securitySchemes").getJsonObject("bearerJwt");
        assertEquals("http", bearer.getString("type"));
        assertEquals("bearer", bearer.getString("scheme"));
        assertEquals("JWT", bearer.getString("bearerFormat"));
        assertTrue(document().getJsonObject("info").getString("description").contains("/ws/events"));
        assertEquals("/ws/events", document().getJsonObject("x-websocket").getString("path"));
    }

    @Test
    void loginAnswersATypedEnvelopeAndNeedsNoToken() throws Exception {
        JsonObject login = operation("POST", "/api/auth/login");
        assertFalse(login.containsKey("security"));
        JsonObject body = resolve(login.getJsonObject("requestBody").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema"));
        assertEquals(Set.of("sipUri", "password"), Set.copyOf(strings(body.getJsonArray("required"))));
        JsonObject envelope = responseSchema(login, 200);
        assertEquals(List.of(true), envelope.getJsonObject("properties").getJsonObject("success").getJsonArray("enum")
                .stream().map(v -> v == JsonValue.TRUE).toList());
        JsonObject data = property(envelope, "data");
        assertEquals(List.of("token", "userId", "displayName", "expiresIn", "sipConfig"), List.copyOf(data.getJsonObject("properties").keySet()));
        JsonObject sipConfig = property(data, "sipConfig");
        assertEquals("integer", property(sipConfig, "expires").getString("type"));
        assertEquals(Set.of("registered", "expires", "localAddress"), sipConfig.getJsonObject("properties").keySet());
        assertEquals("date-time", property(envelope, "timestamp").getString("format"));
        assertTrue(strings(property(property(responseSchema(login, 401), "error"), "code").getJsonArray("enum")).contains("AUTH_FAILED"));
        assertTrue(strings(property(property(responseSchema(login, 500), "error"), "code").getJsonArray("enum")).contains("SIP_ERROR"));
    }

    @Test
    void sendingAMessageDescribesItsBodyAndItsErrors() throws Exception {
        JsonObject send = operation("POST", "/api/messages");
        JsonObject body = resolve(send.getJsonObject("requestBody").getJsonObject("content")
                .getJsonObject("application/json").getJsonObject("schema"));
        assertTrue(body.getJsonObject("properties").keySet().containsAll(Set.of("to", "type", "content", "metadata")));
        assertEquals(4000, property(body, "content").getInt("maxLength"));
        assertEquals(List.of("TEXT"), strings(property(body, "type").getJsonArray("enum")));
        assertTrue(property(property(body, "metadata"), "clientMsgId").containsKey("maxLength"));
        List<String> codes = strings(property(property(responseSchema(send, 400), "error"), "code").getJsonArray("enum"));
        assertTrue(codes.containsAll(List.of("VALIDATION_ERROR", "USER_OFFLINE")), codes.toString());
        assertEquals(List.of("SENT", "SENDING", "DELIVERED", "READ", "FAILED").stream().sorted().toList(),
                strings(property(property(responseSchema(send, 200), "data"), "status").getJsonArray("enum")).stream().sorted().toList());
    }

    @Test
    void listsDescribeTheirParametersAndPages() throws Exception {
        JsonObject users = operation("GET", "/api/users");
        JsonArray parameters = users.getJsonArray("parameters");
        JsonObject status = parameters.stream().map(JsonValue::asJsonObject).filter(p -> p.getString("name").equals("status"))
                .findFirst().orElseThrow();
        assertEquals("query", status.getString("in"));
        assertEquals(List.of("ONLINE", "AWAY", "BUSY", "OFFLINE", "ALL"), strings(status.getJsonObject("schema").getJsonArray("enum")));
        JsonObject size = parameters.stream().map(JsonValue::asJsonObject).filter(p -> p.getString("name").equals("size"))
                .findFirst().orElseThrow().getJsonObject("schema");
        assertEquals("integer", size.getString("type"));
        assertEquals(1, size.getInt("minimum"));
        assertEquals(100, size.getInt("maximum"));
        assertEquals(20, size.getInt("default"));
        assertTrue(parameters.stream().map(JsonValue::asJsonObject).anyMatch(p -> p.getString("name").equals("page")));
        JsonObject page = property(responseSchema(users, 200), "data");
        assertEquals(List.of("content", "totalElements", "totalPages", "currentPage", "pageSize"),
                List.copyOf(page.getJsonObject("properties").keySet()));
        assertEquals(List.of("ONLINE", "AWAY", "BUSY", "OFFLINE"),
                strings(property(resolve(property(page, "content").getJsonObject("items")), "status").getJsonArray("enum")));

        JsonObject user = operation("GET", "/api/users/{userId}");
        JsonObject userId = user.getJsonArray("parameters").getJsonObject(0);
        assertEquals("path", userId.getString("in"));
        assertTrue(userId.getBoolean("required"));
        assertTrue(strings(property(property(responseSchema(user, 404), "error"), "code").getJsonArray("enum")).contains("NOT_FOUND"));

        List<String> types = strings(operation("GET", "/api/calls/history").getJsonArray("parameters").stream()
                .map(JsonValue::asJsonObject).filter(p -> p.getString("name").equals("type")).findFirst().orElseThrow()
                .getJsonObject("schema").getJsonArray("enum"));
        assertEquals(List.of("ALL", "MISSED", "OUTGOING", "INCOMING"), types);
    }

    @Test
    void adminOperationsAnswerForbiddenToUsers() throws Exception {
        for (String[] op : List.of(new String[] {"GET", "/api/stats/summary"}, new String[] {"GET", "/api/admin/calls"},
                new String[] {"PUT", "/api/config/sip"})) {
            JsonObject operation = operation(op[0], op[1]);
            assertEquals(List.of("FORBIDDEN"), strings(property(property(responseSchema(operation, 403), "error"), "code")
                    .getJsonArray("enum")), op[1]);
        }
        assertFalse(operation("GET", "/api/config/sip").getJsonObject("responses").containsKey("403"), "any user reads the configuration");
    }

    // ---- the document matches the server --------------------------------------------------------------------

    /** Component properties seen in real answers ("Schema.property"), and the components the answers used. */
    private final Set<String> seen = new TreeSet<>();
    private final Set<String> used = new TreeSet<>();

    /** Sends a request and checks the answer against the document's schema for that operation and status. */
    private Api.Result exchange(String method, String template, String path, String body, String token) throws Exception {
        Api.Result result = api.send(method, path, body, token, body == null ? null : "application/json");
        JsonObject schema = responseSchema(operation(method, template), result.status());
        check(Json.createReader(new StringReader(result.body())).readValue(), schema, method + " " + path + " " + result.status());
        return result;
    }

    private void check(JsonValue value, JsonObject schema, String where) throws Exception {
        String name = schema.containsKey("$ref") ? refName(schema) : null;
        schema = resolve(schema);
        if (name != null) {
            used.add(name);
        }
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            assertTrue(schema.getBoolean("nullable", false), where + " is null, which the schema does not allow");
            return;
        }
        JsonArray allowed = schema.getJsonArray("enum");
        switch (schema.getString("type")) {
            case "object" -> {
                JsonObject object = value.asJsonObject();
                JsonObject properties = schema.getJsonObject("properties");
                if (properties == null) {
                    for (var entry : object.entrySet()) {
                        check(entry.getValue(), schema.getJsonObject("additionalProperties"), where + "." + entry.getKey());
                    }
                    return;
                }
                for (String required : strings(schema.getJsonArray("required"))) {
                    assertTrue(object.containsKey(required), where + ": required " + required + " not sent: " + object);
                }
                for (var entry : object.entrySet()) {
                    assertTrue(properties.containsKey(entry.getKey()),
                            where + " sends " + entry.getKey() + ", which the schema lacks: " + properties.keySet());
                    check(entry.getValue(), properties.getJsonObject(entry.getKey()), where + "." + entry.getKey());
                    if (name != null) {
                        seen.add(name + "." + entry.getKey());
                    }
                }
            }
            case "array" -> {
                assertEquals(JsonValue.ValueType.ARRAY, value.getValueType(), where);
                int i = 0;
                for (JsonValue item : value.asJsonArray()) {
                    check(item, schema.getJsonObject("items"), where + "[" + i++ + "]");
                }
            }
            case "string" -> {
                assertEquals(JsonValue.ValueType.STRING, value.getValueType(), where);
                if ("date-time".equals(schema.getString("format", null))) {
                    Instant.parse(((JsonString) value).getString());
                }
            }
            case "integer" -> {
                assertEquals(JsonValue.ValueType.NUMBER, value.getValueType(), where);
                assertTrue(((JsonNumber) value).isIntegral(), where);
            }
            case "number" -> assertEquals(JsonValue.ValueType.NUMBER, value.getValueType(), where); // Payara's type for long
            case "boolean" -> assertTrue(value == JsonValue.TRUE || value == JsonValue.FALSE, where);
            default -> fail(where + ": unexpected schema type " + schema);
        }
        if (allowed != null) {
            assertTrue(allowed.contains(value), where + ": " + value + " is not one of " + allowed);
        }
    }

    @Test
    void realAnswersHaveExactlyTheDocumentedFields() throws Exception {
        String callerUri = uri("t19");
        String calleeUri = uri("t20");
        Api.Result login = exchange("POST", "/api/auth/login", "/api/auth/login",
                "{\"sipUri\":\"" + callerUri + "\",\"password\":\"secret123\"}", null);
        assertEquals(200, login.status(), login.body());
        String caller = login.data().getString("token");
        String callee = api.login(calleeUri);
        String admin = api.login(uri("admin"));
        String calleeId = "t20@127.0.0.1";

        assertEquals(200, exchange("PUT", "/api/auth/status", "/api/auth/status",
                "{\"status\":\"AWAY\",\"statusMessage\":\"文档\"}", caller).status());
        assertEquals(200, exchange("GET", "/api/auth/profile", "/api/auth/profile", null, caller).status());
        assertEquals(200, exchange("GET", "/api/users", "/api/users?size=5", null, caller).status());
        assertEquals(200, exchange("GET", "/api/users/{userId}", "/api/users/" + calleeId, null, caller).status());

        try (EventSocket calleeSocket = EventSocket.open(api, callee)) {
            Api.Result sent = exchange("POST", "/api/messages", "/api/messages", "{\"to\":\"" + calleeUri
                    + "\",\"type\":\"TEXT\",\"content\":\"文档\",\"metadata\":{\"clientMsgId\":\"doc-" + System.nanoTime() + "\"}}", caller);
            assertEquals(200, sent.status(), sent.body());
            String messageId = sent.data().getString("messageId");
            calleeSocket.await("MESSAGE_RECEIVED", WAIT);
            Api.Result sessions = exchange("GET", "/api/messages/sessions", "/api/messages/sessions", null, callee);
            String sessionId = sessions.json().getJsonArray("data").getJsonObject(0).getString("sessionId");
            assertEquals(200, exchange("PUT", "/api/messages/{messageId}/read", "/api/messages/" + messageId + "/read", null, callee).status());
            assertEquals(200, exchange("GET", "/api/messages/sessions/{sessionId}", "/api/messages/sessions/" + sessionId, null, caller).status());

            Api.Result placed = exchange("POST", "/api/calls", "/api/calls", Json.createObjectBuilder().add("to", calleeUri)
                    .add("type", "AUDIO").add("sdp", OFFER).build().toString(), caller);
            assertEquals(200, placed.status(), placed.body());
            String callId = placed.data().getString("callId");
            String calleeCallId = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            Api.Result answered = exchange("PUT", "/api/calls/{callId}/answer", "/api/calls/" + calleeCallId + "/answer",
                    Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee);
            assertEquals(200, answered.status(), answered.body());
            assertEquals("ACTIVE", answered.data().getString("state"), "the ACK comes within the wait: " + answered.body());
            assertEquals(200, exchange("GET", "/api/calls/{callId}", "/api/calls/" + calleeCallId, null, callee).status());
            assertEquals(200, exchange("DELETE", "/api/calls/{callId}", "/api/calls/" + callId, null, caller).status());
            assertEquals(200, exchange("GET", "/api/calls/{callId}", "/api/calls/" + callId, null, caller).status());
            assertEquals(200, exchange("GET", "/api/calls/history", "/api/calls/history?size=3", null, caller).status());
            calleeSocket.await("CALL_STATE_CHANGED", f -> f.getJsonObject("data").getString("newState").equals("ENDED"), WAIT);
            assertEquals(409, exchange("DELETE", "/api/calls/{callId}", "/api/calls/" + calleeCallId, null, callee).status());

            // a second call, declined
            exchange("POST", "/api/calls", "/api/calls", Json.createObjectBuilder().add("to", calleeUri).add("sdp", OFFER).build().toString(), caller);
            String declined = calleeSocket.await("INCOMING_CALL", WAIT).getJsonObject("data").getString("callId");
            assertEquals(200, exchange("PUT", "/api/calls/{callId}/reject", "/api/calls/" + declined + "/reject",
                    "{\"reason\":\"忙\"}", callee).status());
        }

        assertEquals(200, exchange("GET", "/api/config/sip", "/api/config/sip", null, caller).status());
        assertEquals(200, exchange("GET", "/api/stats/summary", "/api/stats/summary", null, admin).status());
        assertEquals(200, exchange("GET", "/api/admin/calls", "/api/admin/calls?size=3", null, admin).status());
        assertEquals(200, exchange("PUT", "/api/config/sip", "/api/config/sip", "{}", admin).status());

        // errors, each with a documented status and code
        assertEquals(400, exchange("GET", "/api/users", "/api/users?size=0&status=GONE", null, caller).status());
        assertEquals(400, exchange("POST", "/api/messages", "/api/messages", "{\"to\":\"bob\",\"content\":\"\"}", caller).status());
        assertEquals(401, exchange("GET", "/api/auth/profile", "/api/auth/profile", null, "not-a-token").status());
        assertEquals(401, exchange("GET", "/api/calls/history", "/api/calls/history", null, null).status());
        assertEquals(403, exchange("GET", "/api/stats/summary", "/api/stats/summary", null, caller).status());
        assertEquals(404, exchange("GET", "/api/users/{userId}", "/api/users/nobody@nowhere", null, caller).status());
        assertEquals(404, exchange("PUT", "/api/calls/{callId}/answer", "/api/calls/no-such-call/answer",
                Json.createObjectBuilder().add("sdp", ANSWER).build().toString(), callee).status());
        assertEquals(200, exchange("POST", "/api/auth/logout", "/api/auth/logout", null, caller).status());

        // every property of every record the answers used was sent at least once
        List<String> neverSent = new ArrayList<>();
        for (String name : used) {
            if (name.endsWith("Envelope")) {
                continue; // checked per answer: required members present, nothing undocumented
            }
            JsonObject properties = component(name).getJsonObject("properties");
            if (properties == null) {
                continue; // an enum or Instant
            }
            for (String property : properties.keySet()) {
                if (!seen.contains(name + "." + property)) {
                    neverSent.add(name + "." + property);
                }
            }
        }
        assertEquals(List.of(), neverSent, "documented fields the server never sent; used: " + used);
        assertTrue(used.containsAll(Set.of("LoginResponse", "LoginResponseSipConfig", "Profile", "UserPage", "UserSummary",
                "UserDetails", "MessageView", "SessionSummary", "SessionHistory", "HistoryEntry", "Peer", "PlacedCall",
                "AnsweredCall", "CallStatus", "EndedCall", "CallHistoryPage", "CallHistoryEntry", "CallPeer", "SipConfigView",
                "StatsSummary", "AdminCallPage", "AdminCallRecord")), used.toString());
    }
}
