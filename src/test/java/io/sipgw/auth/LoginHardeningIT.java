package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.GatewayIT;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * The REST login against someone who guesses passwords or names, or asks for odd local addresses. The test
 * server runs with {@code sipgw.auth.throttle.user-failures=3} and {@code .lock-seconds=2} (arquillian.xml),
 * so the REST login locks a user before the embedded SIP server's own throttle (5 failures) would.
 */
@RunAsClient
class LoginHardeningIT extends GatewayIT {

    private Api.Result login(String sipUri, String password) {
        return api.post("/api/auth/login", "{\"sipUri\":\"" + sipUri + "\",\"password\":\"" + password + "\"}", null);
    }

    @Test
    void repeatedWrongPasswordsLockTheLoginWithTooManyAttemptsAndRetryAfter() {
        for (int i = 0; i < 3; i++) {
            Api.Result wrong = login(uri("t2"), "guess" + i);
            assertEquals(401, wrong.status(), wrong.body());
        }

        Api.Result locked = login(uri("t2"), "secret123");

        assertEquals(429, locked.status(), "even the right password is refused while locked: " + locked.body());
        assertEquals("TOO_MANY_ATTEMPTS", locked.errorCode());
        assertFalse(locked.json().getBoolean("success"));
        assertNotNull(locked.json().getString("timestamp"));
        assertEquals("登录失败次数过多，请稍后重试", locked.json().getJsonObject("error").getString("message"));
        String retryAfter = locked.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After header");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 2, retryAfter);
        assertEquals(200, login(uri("t3"), "secret123").status(), "other users are not locked");
    }

    @Test
    void rightPasswordAfterTheLockExpiresLogsIn() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login(uri("t4"), "guess" + i).status());
        }
        Api.Result r = login(uri("t4"), "secret123");
        assertEquals(429, r.status(), r.body());
        Instant deadline = Instant.now().plusSeconds(10);
        while (r.status() == 429 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200); // a client honouring Retry-After; the lock lasts 2 s
            r = login(uri("t4"), "secret123");
        }
        assertEquals(200, r.status(), r.body());
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSameAnswer() {
        Api.Result unknown = login(uri("nobody-here"), "secret123");
        Api.Result wrong = login(uri("t5"), "not-the-password");

        assertEquals(401, unknown.status(), unknown.body());
        assertEquals(wrong.status(), unknown.status());
        assertEquals(wrong.errorCode(), unknown.errorCode());
        assertEquals(wrong.json().getJsonObject("error"), unknown.json().getJsonObject("error"));
        assertFalse(unknown.body().contains("用户不存在"), unknown.body());
    }

    private Api.Result loginAt(String sipUri, String password, String localIp, String localPort) {
        return api.post("/api/auth/login", "{\"sipUri\":\"" + sipUri + "\",\"password\":\"" + password
                + "\",\"localIp\":\"" + localIp + "\",\"localPort\":" + localPort + "}", null);
    }

    @Test
    void failedLoginLeavesNoListeningPointOnTheRequestedPort() throws IOException {
        String port = System.getProperty("it.local.port");
        Api.Result wrong = loginAt(uri("t6"), "not-the-password", "127.0.0.1", port);
        assertEquals(401, wrong.status(), wrong.body());

        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(port));
        try (DatagramSocket udp = new DatagramSocket(address); ServerSocket tcp = new ServerSocket()) {
            tcp.bind(address); // both free again: the failed login's listening point was closed
        }
        Api.Result right = loginAt(uri("t6"), "secret123", "127.0.0.1", port);
        assertEquals(200, right.status(), right.body());
        assertEquals("127.0.0.1:" + port, right.data().getJsonObject("sipConfig").getString("localAddress"));
    }

    @Test
    void wildcardAndForeignLocalAddressesAreRefused() {
        String port = System.getProperty("it.spare.port");
        // 192.0.2.1 is TEST-NET-1 and 224.0.0.1 multicast: no interface of this machine has them
        for (String ip : new String[] {"0.0.0.0", "::", "0:0:0:0:0:0:0:0", "192.0.2.1", "224.0.0.1"}) {
            Api.Result r = loginAt(uri("t7"), "secret123", ip, port);
            assertEquals(400, r.status(), ip + ": " + r.body());
            assertEquals("VALIDATION_ERROR", r.errorCode(), ip);
            assertTrue(r.json().getJsonObject("error").getJsonObject("details").containsKey("localIp"), r.body());
        }
    }

    @Test
    void fiftyConcurrentLoginsAndLogoutsOfOneUserAllSucceedAndPresenceFollowsTheRegistration() throws Exception {
        String anchor = api.login(uri("t8")); // held throughout: the user must stay registered and ONLINE
        String observer = api.login(uri("t9"));
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<String>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                outcomes.add(pool.submit(() -> {
                    Api.Result in = login(uri("t8"), "secret123");
                    if (in.status() != 200) {
                        return "login " + in.status() + " " + in.body();
                    }
                    Api.Result out = api.post("/api/auth/logout", null, in.data().getString("token"));
                    return out.status() == 200 ? "ok" : "logout " + out.status() + " " + out.body();
                }));
            }
            for (Future<String> outcome : outcomes) {
                assertEquals("ok", outcome.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        assertTrue(api.get("/api/auth/profile", anchor).data().getBoolean("registered"));
        assertEquals("ONLINE", api.get("/api/users/t8@127.0.0.1", observer).data().getString("status"));
        assertEquals(200, sendTo("t8", observer).status(), "still registered: the message goes through");

        assertEquals(200, api.post("/api/auth/logout", null, anchor).status());
        assertEquals("OFFLINE", api.get("/api/users/t8@127.0.0.1", observer).data().getString("status"));
        Api.Result offline = sendTo("t8", observer);
        assertEquals("USER_OFFLINE", offline.errorCode(), "the last logout removed the registration: " + offline.body());
    }

    @Test
    void aThousandConcurrentLoginsOfOneUserAllSucceedAndTheLastLogoutEndsThePresence() throws Exception {
        String observer = api.login(uri("t9"));
        // HTTP/1.1, one connection per thread, as browsers speak to a plain-http gateway: over one h2c
        // connection the JDK client meets Grizzly's GOAWAY at this many streams and does not retry a POST
        Api http1 = new Api(api.base(), HttpClient.Version.HTTP_1_1);
        ExecutorService pool = Executors.newFixedThreadPool(100);
        List<Future<Api.Result>> logins = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        try {
            for (int i = 0; i < 1000; i++) {
                logins.add(pool.submit(() -> http1.post("/api/auth/login",
                        "{\"sipUri\":\"" + uri("p2") + "\",\"password\":\"secret123\"}", null)));
            }
            for (Future<Api.Result> login : logins) {
                Api.Result in = login.get(120, TimeUnit.SECONDS);
                assertEquals(200, in.status(), in.body());
                tokens.add(in.data().getString("token"));
            }
            assertEquals(1000, tokens.stream().distinct().count());
            assertEquals("ONLINE", api.get("/api/users/p2@127.0.0.1", observer).data().getString("status"));

            List<Future<Integer>> logouts = new ArrayList<>();
            for (String token : tokens) {
                logouts.add(pool.submit(() -> http1.post("/api/auth/logout", null, token).status()));
            }
            for (Future<Integer> logout : logouts) {
                assertEquals(200, logout.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("OFFLINE", api.get("/api/users/p2@127.0.0.1", observer).data().getString("status"));
        Api.Result offline = sendTo("p2", observer);
        assertEquals("USER_OFFLINE", offline.errorCode(), "the last logout removed the registration: " + offline.body());
    }

    private Api.Result sendTo(String user, String token) {
        return api.post("/api/messages", "{\"to\":\"" + uri(user) + "\",\"type\":\"TEXT\",\"content\":\"hello\"}", token);
    }
}
