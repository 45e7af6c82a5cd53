package io.sipgw.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.SipPhone;
import jakarta.json.JsonObject;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * Presence of a user whose SIP phone (here a JAIN-SIP phone) registers at the embedded SIP server, with or
 * without an API login of theirs (issue 16: a desk phone must not show OFFLINE while it is registered).
 */
@RunAsClient
class PhonePresenceIT extends GatewayIT {

    private static final String P1 = "p1@127.0.0.1";

    private static boolean about(JsonObject frame, String userId, String newStatus) {
        JsonObject data = frame.getJsonObject("data");
        return data.getString("userId").equals(userId) && data.getString("newStatus").equals(newStatus);
    }

    private String statusOf(String userId, String token) {
        return api.get("/api/users/" + userId, token).data().getString("status");
    }

    @Test
    void aRegisteredPhoneShowsOnlineUntilItUnregistersOrLapses() throws Exception {
        String watcher = api.login(uri("t9"));
        try (EventSocket watching = EventSocket.open(api, watcher);
             SipPhone phone = new SipPhone("p1", "127.0.0.1", "127.0.0.1", registrarPort, Integer.getInteger("it.phone.port"))) {
            assertEquals("OFFLINE", statusOf(P1, watcher));

            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            JsonObject online = watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "ONLINE"), WAIT).getJsonObject("data");
            assertEquals("OFFLINE", online.getString("oldStatus"));
            assertEquals("ONLINE", statusOf(P1, watcher));
            assertEquals(1, api.get("/api/users?status=ONLINE&search=p1@", watcher).data().getJsonNumber("totalElements").intValue(),
                    "the status filter sees it too");

            assertEquals(200, phone.register("secret123", 0).getStatusCode());
            watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "OFFLINE"), WAIT);
            assertEquals("OFFLINE", statusOf(P1, watcher));

            // a phone that stops refreshing: the embedded server grants at most 5 s in the ITs
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "ONLINE"), WAIT);
            watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "OFFLINE"), Duration.ofSeconds(15));
            assertEquals("OFFLINE", statusOf(P1, watcher));
        }
    }

    @Test
    void anApiLogoutLeavesTheUserOnlineWhileTheirPhoneIsRegistered() throws Exception {
        String watcher = api.login(uri("t10"));
        try (EventSocket watching = EventSocket.open(api, watcher);
             SipPhone phone = new SipPhone("p1", "127.0.0.1", "127.0.0.1", registrarPort, Integer.getInteger("it.phone.port"))) {
            String browser = api.login(uri("p1"));
            watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "ONLINE"), WAIT);

            assertEquals(200, api.put("/api/auth/status", "{\"status\":\"BUSY\"}", browser).status());
            watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "BUSY"), WAIT);

            // registrations last at most 5 s in the ITs: the phone registers right before the logout
            assertEquals(200, phone.register("secret123", 300).getStatusCode());
            assertEquals(200, api.post("/api/auth/logout", null, browser).status());
            assertEquals(200, phone.register("secret123", 300).getStatusCode()); // a refresh: no change either
            assertEquals("BUSY", statusOf(P1, watcher), "the phone is still registered");
            assertTrue(watching.drain().stream().noneMatch(f -> f.getString("type").equals("USER_STATUS_CHANGED")
                    && about(f, P1, "OFFLINE")), "no OFFLINE while the phone is registered");

            assertEquals(200, phone.register("secret123", 0).getStatusCode());
            JsonObject offline = watching.await("USER_STATUS_CHANGED", f -> about(f, P1, "OFFLINE"), WAIT).getJsonObject("data");
            assertEquals("BUSY", offline.getString("oldStatus"));
        }
    }
}
