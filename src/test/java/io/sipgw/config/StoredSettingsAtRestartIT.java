package io.sipgw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayProcess;
import io.sipgw.testing.RecordingRegistrar;
import jakarta.json.JsonObject;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ViaHeader;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees across restarts, on a gateway process of the test's own (not Arquillian's, which
 * never restarts): the SIP settings an admin stores take effect at the next start ("重启后生效"), and a
 * gateway whose SIP port is taken starts anyway, reports not-ready, refuses logins with a clear error and
 * becomes ready by itself once the port is free. Also the idle timeout of event sockets, which needs a
 * server configured with a short one.
 */
class StoredSettingsAtRestartIT {

    private static final long WAIT_MS = 20_000;

    private final Path dataDir = Path.of(System.getProperty("it.build.dir"), "it-restart-data-" + GatewayProcess.HTTP_PORT);
    private final int proxyPort = Integer.getInteger("it.spare.port");

    private static String uri(String user) {
        return "sip:" + user + "@127.0.0.1:" + GatewayProcess.REGISTRAR_PORT;
    }

    @Test
    void storedSettingsApplyAtTheNextStartAndATakenSipPortMeansNotReadyUntilItFrees() throws Exception {
        try (GatewayProcess first = GatewayProcess.start(dataDir, "it-restart-1")) {
            Api api = first.api();
            assertEquals(200, awaitReadiness(api).status());
            String admin = api.login(uri("admin"));
            Api.Result stored = api.put("/api/config/sip", "{\"transport\":\"TCP\",\"expires\":120,\"outboundProxy\":\"127.0.0.1:"
                    + proxyPort + "\"}", admin);
            assertEquals(200, stored.status(), stored.body());
            assertEquals("配置已更新，重启后生效", stored.json().getString("message"));
        }

        GatewayProcess second = null;
        try {
            try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), GatewayProcess.SIP_PORT))) {
                second = GatewayProcess.start(dataDir, "it-restart-2", "-Dsipgw.ws.idle-timeout-seconds=3");
                Api api = second.api();
                Api.Result notReady = awaitReadiness(api);
                assertEquals(503, notReady.status(), notReady.body());
                assertEquals("DOWN", notReady.json().getString("status"));
                assertEquals("down", sipgwCheck(notReady.json()).getJsonObject("data").getString("sipUserAgent"));
                assertEquals(200, api.get("/health/live", null).status(), "alive, only not ready");

                Api.Result refused = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("t3") + "\",\"password\":\"secret123\"}", null);
                assertEquals(500, refused.status(), refused.body());
                assertEquals("SIP_ERROR", refused.errorCode());
                assertEquals(false, refused.json().getBoolean("success"));
                assertTrue(second.log().contains("Cannot listen for SIP on 127.0.0.1:" + GatewayProcess.SIP_PORT), "the operator is told why");
            }
            try (RecordingRegistrar proxy = new RecordingRegistrar(proxyPort)) {
                Api api = second.api();
                awaitReady(api);

                // the stored outbound proxy, transport and lifetime are in force: the REGISTER for the embedded
                // server's domain goes to the proxy, over TCP, asking for 120 s
                CompletableFuture<Api.Result> login = CompletableFuture.supplyAsync(() ->
                        api.post("/api/auth/login", "{\"sipUri\":\"" + uri("t3") + "\",\"password\":\"secret123\"}", null));
                RequestEvent register = proxy.awaitRequest("REGISTER", WAIT_MS);
                ViaHeader via = (ViaHeader) register.getRequest().getHeader(ViaHeader.NAME);
                assertEquals("TCP", via.getTransport().toUpperCase());
                ContactHeader contact = (ContactHeader) register.getRequest().getHeader(ContactHeader.NAME);
                assertTrue(contact.getAddress().getURI().toString().contains("transport=tcp"), contact.toString());
                ExpiresHeader expires = (ExpiresHeader) register.getRequest().getHeader(ExpiresHeader.NAME);
                int asked = expires != null ? expires.getExpires() : contact.getExpires();
                assertEquals(120, asked);
                RouteHeader route = (RouteHeader) register.getRequest().getHeader(RouteHeader.NAME);
                assertTrue(route.getAddress().getURI().toString().contains("127.0.0.1:" + proxyPort), route.toString());
                proxy.grant(register, 120);

                Api.Result loggedIn = login.get(WAIT_MS, TimeUnit.MILLISECONDS);
                assertEquals(200, loggedIn.status(), loggedIn.body());
                assertEquals(120, loggedIn.data().getJsonObject("sipConfig").getInt("expires"));

                // this server closes event sockets idle for 3 s (sipgw.ws.idle-timeout-seconds); a PING keeps one open
                String token = loggedIn.data().getString("token");
                try (EventSocket pinging = EventSocket.open(api, token); EventSocket silent = EventSocket.open(api, token)) {
                    for (int i = 0; i < 4; i++) {
                        pinging.send("{\"type\":\"PING\"}");
                        pinging.await("PONG", Duration.ofSeconds(5));
                        Thread.sleep(1000);
                    }
                    assertFalse(pinging.isClosed(), "a socket in use stays open");
                    EventSocket.Closed closed = silent.awaitClose(Duration.ofSeconds(10));
                    assertTrue(closed.code() >= 1000, closed.toString());
                }
            }
        } finally {
            if (second != null) {
                second.close(); // also when an assertion failed while the SIP port was taken
            }
        }
    }

    private static JsonObject sipgwCheck(JsonObject health) {
        return health.getJsonArray("checks").stream().map(v -> v.asJsonObject())
                .filter(c -> c.getString("name").equals("sipgw")).findFirst()
                .orElseThrow(() -> new AssertionError("no sipgw check in " + health));
    }

    private static boolean hasSipgwCheck(Api.Result health) {
        return health.body().contains("\"sipgw\"");
    }

    /** The first readiness answer that has the gateway's check (Payara may answer before it registered it). */
    private static Api.Result awaitReadiness(Api api) throws InterruptedException {
        return pollReadiness(api, StoredSettingsAtRestartIT::hasSipgwCheck, "with the sipgw check");
    }

    /** Polls readiness until UP: the gateway tries its SIP port again every few seconds. */
    private static void awaitReady(Api api) throws InterruptedException {
        Api.Result ready = pollReadiness(api, r -> r.status() == 200 && hasSipgwCheck(r), "UP after the SIP port was freed");
        assertEquals("listening", sipgwCheck(ready.json()).getJsonObject("data").getString("sipUserAgent"));
    }

    private static Api.Result pollReadiness(Api api, java.util.function.Predicate<Api.Result> done, String what)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        Api.Result last = null;
        while (System.currentTimeMillis() < deadline) {
            last = api.get("/health/ready", null);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("readiness not " + what + " within " + WAIT_MS + " ms: " + last);
    }
}
