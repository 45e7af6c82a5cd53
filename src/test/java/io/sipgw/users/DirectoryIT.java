package io.sipgw.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.EventSocket;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import io.sipgw.testing.RecordingRegistrar;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/** The directory (GET /users, /users/{userId}) and presence events reaching the other users' sockets. */
@RunAsClient
class DirectoryIT extends GatewayIT {

    private static boolean about(JsonObject frame, String userId) {
        return frame.getJsonObject("data").getString("userId").equals(userId);
    }

    @Test
    void entriesHaveTheSpecShapeWithNullsWrittenOut() {
        String token = api.login(uri("t1"));
        Api.Result r = api.get("/api/users?search=t1%40127", token);
        assertEquals(200, r.status(), r.body());
        JsonObject page = r.data();
        assertEquals(1, page.getJsonNumber("totalElements").longValue(), r.body());
        assertEquals(1, page.getInt("totalPages"));
        assertEquals(0, page.getInt("currentPage"));
        assertEquals(20, page.getInt("pageSize"), "default page size");
        JsonObject t1 = page.getJsonArray("content").getJsonObject(0);
        assertEquals(List.of("userId", "sipUri", "displayName", "status", "statusMessage", "avatar", "lastSeen"),
                List.copyOf(t1.keySet()));
        assertEquals("t1@127.0.0.1", t1.getString("userId"));
        assertEquals("T1", t1.getString("displayName"));
        assertEquals("ONLINE", t1.getString("status"));
        assertEquals(JsonValue.NULL, t1.get("avatar"));
        assertEquals(JsonValue.NULL, t1.get("statusMessage"));
        assertTrue(t1.getString("lastSeen").endsWith("Z"), t1.toString());
    }

    @Test
    void withoutStatusEveryoneIsListedAndStatusFiltersInTheDatabase() {
        String token = api.login(uri("t2"));
        assertEquals(200, api.put("/api/auth/status", "{\"status\":\"AWAY\",\"statusMessage\":\"开会中\"}", token).status());

        JsonObject all = api.get("/api/users?search=t2%40", token).data();
        assertEquals(1, all.getJsonNumber("totalElements").longValue(), all.toString());
        JsonObject away = api.get("/api/users?status=away&search=t2%40", token).data();
        assertEquals(1, away.getJsonNumber("totalElements").longValue(), away.toString());
        assertEquals("开会中", away.getJsonArray("content").getJsonObject(0).getString("statusMessage"));
        assertEquals(0, api.get("/api/users?status=ONLINE&search=t2%40", token).data().getJsonNumber("totalElements").longValue());
        assertEquals(1, api.get("/api/users?status=ALL&search=t2%40", token).data().getJsonNumber("totalElements").longValue());

        // offline provisioned accounts are in the default listing too
        JsonObject dave = api.get("/api/users?search=dave", token).data();
        assertEquals(1, dave.getJsonNumber("totalElements").longValue(), dave.toString());
        assertEquals("OFFLINE", dave.getJsonArray("content").getJsonObject(0).getString("status"));
        assertTrue(api.get("/api/users?status=AWAY", token).data().getJsonArray("content").stream()
                .allMatch(u -> u.asJsonObject().getString("status").equals("AWAY")));
    }

    @Test
    void searchIsCaseInsensitiveOverUserDisplayNameAndSipUri() {
        String token = api.login(uri("t3"));
        JsonObject byDisplayName = api.get("/api/users?search=aLiC", token).data();
        assertEquals(1, byDisplayName.getJsonNumber("totalElements").longValue(), byDisplayName.toString());
        assertEquals("alice@127.0.0.1", byDisplayName.getJsonArray("content").getJsonObject(0).getString("userId"));
        JsonObject bySipUri = api.get("/api/users?search=SIP%3Abob%40", token).data();
        assertEquals(1, bySipUri.getJsonNumber("totalElements").longValue(), bySipUri.toString());
        JsonObject byDisplayNameOnly = api.get("/api/users?search=administrator", token).data();
        assertEquals("admin@127.0.0.1", byDisplayNameOnly.getJsonArray("content").getJsonObject(0).getString("userId"));
        assertEquals(0, api.get("/api/users?search=%25", token).data().getJsonNumber("totalElements").longValue(),
                "a % is searched literally, not as a wildcard");
        assertEquals(0, api.get("/api/users?search=nobody-here", token).data().getJsonArray("content").size());
    }

    @Test
    void pagesComeFromTheDatabaseWithinBounds() {
        String token = api.login(uri("t4"));
        // t1 and t10..t19 (and nobody else) have "t1" in user part, display name or SIP URI
        JsonObject first = api.get("/api/users?search=t1&page=0&size=4", token).data();
        assertEquals(11, first.getJsonNumber("totalElements").longValue(), first.toString());
        assertEquals(3, first.getInt("totalPages"));
        assertEquals(4, first.getJsonArray("content").size());
        assertEquals(4, first.getInt("pageSize"));
        JsonObject last = api.get("/api/users?search=t1&page=2&size=4", token).data();
        assertEquals(3, last.getJsonArray("content").size());
        assertEquals(2, last.getInt("currentPage"));
        assertFalse(first.getJsonArray("content").getJsonObject(0).getString("userId")
                .equals(last.getJsonArray("content").getJsonObject(0).getString("userId")));
        assertEquals(0, api.get("/api/users?search=t1&page=9&size=4", token).data().getJsonArray("content").size());
        assertEquals(100, api.get("/api/users?size=100", token).data().getInt("pageSize"));
    }

    @Test
    void badParametersAreValidationErrorsWithDetails() {
        String token = api.login(uri("t5"));
        Api.Result tooBig = api.get("/api/users?size=101", token);
        assertEquals(400, tooBig.status(), tooBig.body());
        assertEquals("VALIDATION_ERROR", tooBig.errorCode());
        assertTrue(tooBig.json().getJsonObject("error").getJsonObject("details").containsKey("size"));
        assertEquals(400, api.get("/api/users?size=0", token).status());
        Api.Result several = api.get("/api/users?status=SLEEPING&page=-1&size=abc", token);
        assertEquals(400, several.status(), several.body());
        JsonObject details = several.json().getJsonObject("error").getJsonObject("details");
        assertTrue(details.containsKey("status") && details.containsKey("page") && details.containsKey("size"), details.toString());
        assertEquals(400, api.get("/api/users?search=" + "x".repeat(101), token).status());
        assertEquals(401, api.get("/api/users", null).status());
    }

    @Test
    void detailsCarryContactDataAndUnknownUsersAreNotFound() {
        String token = api.login(uri("t6"));
        Api.Result alice = api.get("/api/users/alice@127.0.0.1", token);
        assertEquals(200, alice.status(), alice.body());
        assertEquals(List.of("userId", "sipUri", "displayName", "status", "statusMessage", "avatar", "email", "phone", "lastSeen"),
                List.copyOf(alice.data().keySet()));
        assertEquals("alice@example.com", alice.data().getString("email"));
        assertEquals("Alice", alice.data().getString("displayName"));
        Api.Result nobody = api.get("/api/users/nobody@127.0.0.1", token);
        assertEquals(404, nobody.status(), nobody.body());
        assertEquals("NOT_FOUND", nobody.errorCode());
    }

    @Test
    void presenceChangesReachEveryOtherConnectedUserOnce() {
        String watcher = api.login(uri("t7"));
        try (EventSocket watching = EventSocket.open(api, watcher)) {
            String subject = api.login(uri("t8"));
            JsonObject online = watching.await("USER_STATUS_CHANGED", f -> about(f, "t8@127.0.0.1"), WAIT).getJsonObject("data");
            assertEquals("OFFLINE", online.getString("oldStatus"));
            assertEquals("ONLINE", online.getString("newStatus"));

            try (EventSocket own = EventSocket.open(api, subject)) {
                String away = "{\"status\":\"AWAY\",\"statusMessage\":\"开会中\"}";
                assertEquals(200, api.put("/api/auth/status", away, subject).status());
                JsonObject changed = watching.await("USER_STATUS_CHANGED", f -> about(f, "t8@127.0.0.1"), WAIT).getJsonObject("data");
                assertEquals(List.of("userId", "oldStatus", "newStatus", "statusMessage"), List.copyOf(changed.keySet()));
                assertEquals("ONLINE", changed.getString("oldStatus"));
                assertEquals("AWAY", changed.getString("newStatus"));
                assertEquals("开会中", changed.getString("statusMessage"));

                // the same status again is no change; the next event is the real one
                assertEquals(200, api.put("/api/auth/status", away, subject).status());
                assertEquals(200, api.put("/api/auth/status", "{\"status\":\"BUSY\"}", subject).status());
                JsonObject busy = watching.await("USER_STATUS_CHANGED", f -> about(f, "t8@127.0.0.1"), WAIT).getJsonObject("data");
                assertEquals("AWAY", busy.getString("oldStatus"));
                assertEquals("BUSY", busy.getString("newStatus"));

                // the subject's own sockets do not get their own presence
                own.send("{\"type\":\"PING\"}");
                own.await("PONG", WAIT);
                assertTrue(own.drain().stream().noneMatch(f -> f.getString("type").equals("USER_STATUS_CHANGED")
                        && about(f, "t8@127.0.0.1")));
            }

            assertEquals(200, api.post("/api/auth/logout", null, subject).status());
            JsonObject offline = watching.await("USER_STATUS_CHANGED", f -> about(f, "t8@127.0.0.1"), WAIT).getJsonObject("data");
            assertEquals("BUSY", offline.getString("oldStatus"));
            assertEquals("OFFLINE", offline.getString("newStatus"));
            assertEquals("OFFLINE", api.get("/api/users/t8@127.0.0.1", watcher).data().getString("status"));
        }
    }

    @Test
    void aUserWhoseRegistrationLapsesTurnsOfflineForEveryone() throws Exception {
        String watcher = api.login(uri("t7"));
        int serverPort = Integer.getInteger("it.spare.port");
        try (EventSocket watching = EventSocket.open(api, watcher);
             RecordingRegistrar server = new RecordingRegistrar(serverPort)) {
            // t8 registers at a SIP server that grants 4 s and then stops answering
            CompletableFuture<Api.Result> login = CompletableFuture.supplyAsync(() -> api.post("/api/auth/login",
                    "{\"sipUri\":\"sip:t8@127.0.0.1:" + serverPort + "\",\"password\":\"secret123\"}", null));
            server.grant(server.awaitRequest("REGISTER", WAIT.toMillis()), 4);
            Api.Result loggedIn = login.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(200, loggedIn.status(), loggedIn.body());
            String subject = loggedIn.data().getString("token");
            assertEquals("ONLINE", api.get("/api/users/t8@127.0.0.1", watcher).data().getString("status"));

            server.awaitRequest("REGISTER", WAIT.toMillis()); // the refresh, left unanswered
            JsonObject lapsed = watching.await("USER_STATUS_CHANGED",
                    f -> about(f, "t8@127.0.0.1") && f.getJsonObject("data").getString("newStatus").equals("OFFLINE"),
                    Duration.ofSeconds(20)).getJsonObject("data");
            assertEquals("ONLINE", lapsed.getString("oldStatus"));
            assertEquals("OFFLINE", api.get("/api/users/t8@127.0.0.1", watcher).data().getString("status"));

            // without a registration the user's SIP requests cannot go anywhere: log in again
            Api.Result send = api.post("/api/messages", "{\"to\":\"" + uri("t7") + "\",\"type\":\"TEXT\",\"content\":\"hi\"}", subject);
            assertEquals(401, send.status(), send.body());
            assertEquals("AUTH_FAILED", send.errorCode());
            assertEquals(200, api.post("/api/auth/logout", null, subject).status());
        }
    }
}
