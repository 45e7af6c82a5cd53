package io.sipgw.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.Kamailio;
import io.sipgw.testing.RecordingRegistrar;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.message.Request;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Login by real SIP registration against the SIP server under test (the embedded one, or Kamailio in
 * the kamailio profile), the token rules and the error envelope, through real HTTP against the deployed WAR.
 */
@RunAsClient
class AuthIT extends GatewayIT {

    private Api.Result login(String sipUri, String password) {
        return api.post("/api/auth/login", "{\"sipUri\":\"" + sipUri + "\",\"password\":\"" + password + "\"}", null);
    }

    @Test
    void loginWithRightPasswordRegistersAndReturnsToken() {
        Api.Result r = login(uri("alice"), "secret123");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        JsonObject body = r.json();
        assertTrue(body.getBoolean("success"));
        assertEquals("登录成功", body.getString("message"));
        JsonObject data = body.getJsonObject("data");
        assertEquals("alice@127.0.0.1", data.getString("userId"));
        assertEquals("Alice", data.getString("displayName"));
        assertEquals(3600, data.getInt("expiresIn"));
        JsonObject sip = data.getJsonObject("sipConfig");
        assertTrue(sip.getBoolean("registered"));
        assertTrue(sip.getInt("expires") > 0 && sip.getInt("expires") <= 3600, sip.toString());
        assertEquals("127.0.0.1:" + System.getProperty("it.sip.port"), sip.getString("localAddress"));
        // no member route configured (sipgw.cluster.route empty, the default): no routing cookie
        assertNull(r.header("Set-Cookie"), r.header("Set-Cookie"));

        String[] parts = data.getString("token").split("\\.");
        assertEquals(3, parts.length);
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"RS256\""), header);
        assertTrue(claims.contains("\"upn\":\"alice@127.0.0.1\""), claims);
        assertTrue(claims.contains("\"jti\""), claims);
        assertFalse(claims.contains("\"admin\""), claims);

        Api.Result profile = api.get("/api/auth/profile", data.getString("token"));
        assertEquals(200, profile.status(), profile.body());
        assertTrue(profile.data().getBoolean("registered"));
        assertEquals("ONLINE", profile.data().getString("status"));
        assertEquals(uri("alice"), profile.data().getString("sipUri"));
    }

    @Test
    void registrationIsRefreshedBeforeItExpires() {
        // the test server's registrar grants at most 5 s (sipgw.registrar.max-expires-seconds)
        Api.Result login = login(uri("t18"), "secret123");
        assertEquals(200, login.status(), login.body());
        assertEquals(5, login.data().getJsonObject("sipConfig").getInt("expires"));
        String sender = api.login(uri("t19"));
        Instant until = Instant.now().plusSeconds(12);
        int sent = 0;
        while (Instant.now().isBefore(until)) {
            Api.Result r = api.post("/api/messages", "{\"to\":\"" + uri("t18") + "\",\"type\":\"TEXT\",\"content\":\"still there? " + sent
                    + "\"}", sender);
            assertEquals(200, r.status(), "after " + sent + " messages: " + r.body());
            sent++;
        }
        assertTrue(sent > 3);
        assertTrue(api.get("/api/auth/profile", login.data().getString("token")).data().getBoolean("registered"));
    }

    @Test
    @Tag("kamailio")
    void usersAreReachableAgainAfterTheSipServerRestartsAndForgetsRegistrations() throws InterruptedException {
        String sender = api.login(uri("t11"));
        String receiver = api.login(uri("t12"));
        String body = "{\"to\":\"" + uri("t12") + "\",\"type\":\"TEXT\",\"content\":\"ping\"}";
        assertEquals(200, api.post("/api/messages", body, sender).status());

        Kamailio.restart(); // usrloc in memory: every binding is gone
        // the gateway registers again at its next refresh (here every 2.5 s: registrations of 5 s)
        Instant deadline = Instant.now().plusSeconds(15);
        Api.Result r = api.post("/api/messages", body, sender);
        while (r.status() != 200 && Instant.now().isBefore(deadline)) {
            assertEquals("USER_OFFLINE", r.errorCode(), r.body());
            Thread.sleep(250);
            r = api.post("/api/messages", body, sender);
        }
        assertEquals(200, r.status(), "no delivery within 15 s of the restart: " + r.body());
        assertTrue(api.get("/api/auth/profile", receiver).data().getBoolean("registered"));
        assertTrue(api.get("/api/auth/profile", sender).data().getBoolean("registered"));
    }

    @Test
    void adminAccountGetsAdminGroup() {
        String token = api.login(uri("admin"));
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(claims.contains("\"admin\""), claims);
    }

    @Test
    void wrongPasswordIsAuthFailed() {
        Api.Result r = login(uri("carol"), "not-her-password");
        assertEquals(401, r.status(), r.body());
        assertEquals("AUTH_FAILED", r.errorCode());
        assertEquals("SIP 注册失败：认证错误", r.json().getJsonObject("error").getString("message"));
        assertFalse(r.json().getBoolean("success"));
        assertNotNull(r.json().getString("timestamp"));
        assertFalse(r.body().contains("not-her-password"));
    }

    @Test
    void unknownUserIsAuthFailed() {
        Api.Result r = login(uri("mallory"), "secret123");
        assertEquals(401, r.status(), r.body());
        assertEquals("AUTH_FAILED", r.errorCode());
    }

    @Test
    void registrarThatDoesNotAnswerIsSipErrorWithinSeconds() {
        Instant start = Instant.now();
        Api.Result r = login("sip:alice@127.0.0.1:" + System.getProperty("it.spare.port"), "secret123");
        assertEquals(500, r.status(), r.body());
        assertEquals("SIP_ERROR", r.errorCode());
        assertTrue(Duration.between(start, Instant.now()).toSeconds() < 20, "login must not hang");
    }

    @Test
    void malformedLoginInputIsValidationErrorWithDetails() {
        Api.Result noPassword = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("alice") + "\"}", null);
        assertEquals(400, noPassword.status(), noPassword.body());
        assertTrue(noPassword.json().getJsonObject("error").getJsonObject("details").containsKey("password"));

        Api.Result badUri = login("alice-at-nowhere", "secret123");
        assertEquals(400, badUri.status(), badUri.body());
        assertTrue(badUri.json().getJsonObject("error").getJsonObject("details").containsKey("sipUri"));

        Api.Result badPort = login("sip:alice@127.0.0.1:70000", "secret123");
        assertEquals(400, badPort.status(), badPort.body());
        assertTrue(badPort.json().getJsonObject("error").getJsonObject("details").containsKey("sipUri"));

        Api.Result badLocalPort = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("alice")
                + "\",\"password\":\"secret123\",\"localIp\":\"127.0.0.1\",\"localPort\":70000}", null);
        assertEquals(400, badLocalPort.status(), badLocalPort.body());
        assertTrue(badLocalPort.json().getJsonObject("error").getJsonObject("details").containsKey("localPort"));

        Api.Result notJson = api.post("/api/auth/login", "{\"sipUri\": ", null);
        assertEquals(400, notJson.status(), notJson.body());
        assertFalse(notJson.json().getBoolean("success"));

        Api.Result wrongType = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("alice")
                + "\",\"password\":\"secret123\",\"localPort\":\"many\"}", null);
        assertEquals(400, wrongType.status(), wrongType.body());
    }

    @Test
    void localAddressThatCannotBeBoundIsValidationError() {
        // 192.0.2.1 is TEST-NET-1: never assigned to this machine, so binding fails; no packet is sent.
        Api.Result r = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("t16")
                + "\",\"password\":\"secret123\",\"localIp\":\"192.0.2.1\",\"localPort\":5070}", null);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().getJsonObject("error").getJsonObject("details").containsKey("localIp"), r.body());
    }

    @Test
    void loginHonoursLocalAddress() {
        String port = System.getProperty("it.local.port");
        Api.Result r = api.post("/api/auth/login", "{\"sipUri\":\"" + uri("bob")
                + "\",\"password\":\"secret123\",\"localIp\":\"127.0.0.1\",\"localPort\":" + port + "}", null);
        assertEquals(200, r.status(), r.body());
        assertEquals("127.0.0.1:" + port, r.data().getJsonObject("sipConfig").getString("localAddress"));
    }

    @Test
    void statusChangesAreValidatedAndShownInProfile() {
        String token = api.login(uri("carol"));
        Api.Result ok = api.put("/api/auth/status", "{\"status\":\"AWAY\",\"statusMessage\":\"开会中\"}", token);
        assertEquals(200, ok.status(), ok.body());
        assertEquals("状态已更新", ok.json().getString("message"));
        JsonObject profile = api.get("/api/auth/profile", token).data();
        assertEquals("AWAY", profile.getString("status"));
        assertEquals("开会中", profile.getString("statusMessage"));
        assertEquals("Carol", profile.getString("displayName"));

        Api.Result bad = api.put("/api/auth/status", "{\"status\":\"SLEEPING\"}", token);
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.json().getJsonObject("error").getJsonObject("details").containsKey("status"));
        Api.Result tooLong = api.put("/api/auth/status", "{\"status\":\"BUSY\",\"statusMessage\":\"" + "x".repeat(201) + "\"}", token);
        assertEquals(400, tooLong.status(), tooLong.body());
        assertEquals("AWAY", api.get("/api/auth/profile", token).data().getString("status"));
    }

    @Test
    void logoutRevokesTokenAndEndsRegistration() {
        String token = api.login(uri("dave"));
        Api.Result out = api.post("/api/auth/logout", null, token);
        assertEquals(200, out.status(), out.body());
        assertEquals("注销成功", out.json().getString("message"));

        Api.Result reuse = api.get("/api/auth/profile", token);
        assertEquals(401, reuse.status(), reuse.body());
        assertEquals("INVALID_TOKEN", reuse.errorCode());

        // the SIP server no longer has a binding for dave: a message to him is USER_OFFLINE
        String t17 = api.login(uri("t17"));
        Api.Result toDave = api.post("/api/messages", "{\"to\":\"" + uri("dave") + "\",\"type\":\"TEXT\",\"content\":\"hi\"}", t17);
        assertEquals(400, toDave.status(), toDave.body());
        assertEquals("USER_OFFLINE", toDave.errorCode());

        String again = api.login(uri("dave"));
        JsonObject profile = api.get("/api/auth/profile", again).data();
        assertTrue(profile.getBoolean("registered"));
    }

    @Test
    void missingTokenIsInvalidToken() {
        Api.Result r = api.get("/api/auth/profile", null);
        assertEquals(401, r.status(), r.body());
        assertEquals("INVALID_TOKEN", r.errorCode());
    }

    @Test
    void garbageAndTamperedTokensAreInvalidToken() {
        String token = api.login(uri("alice"));
        assertInvalid(api.get("/api/auth/profile", "not.a.token"));

        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("alice@127.0.0.1", "bob@127.0.0.1");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertInvalid(api.get("/api/auth/profile", tampered));
    }

    @Test
    void unsignedTokenIsInvalidToken() {
        JWTClaimsSet claims = claims("alice@127.0.0.1", Instant.now().plusSeconds(600));
        assertInvalid(api.get("/api/auth/profile", new PlainJWT(claims).serialize()));
    }

    @Test
    void tokenSignedWithAnotherKeyIsInvalidToken() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var foreign = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
        assertInvalid(api.get("/api/auth/profile", sign(claims("alice@127.0.0.1", Instant.now().plusSeconds(600)), foreign)));
    }

    @Test
    void expiredTokenIsTokenExpired() throws Exception {
        api.login(uri("alice")); // the server has generated its key pair by now
        Path keyFile = Path.of(System.getProperty("it.data.dir"), "keys", "jwt-private.pem");
        String pem = Files.readString(keyFile).replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        var key = (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        String expired = sign(claims("alice@127.0.0.1", Instant.now().minusSeconds(3600)), key);
        Api.Result r = api.get("/api/auth/profile", expired);
        assertEquals(401, r.status(), r.body());
        assertEquals("TOKEN_EXPIRED", r.errorCode());

        String valid = sign(claims("alice@127.0.0.1", Instant.now().plusSeconds(600)), key);
        assertEquals(200, api.get("/api/auth/profile", valid).status(), "a token signed with the server's key is accepted");
    }

    @Test
    void containerErrorsUseTheEnvelope() {
        Api.Result unknownApiPath = api.get("/api/no-such-thing", null);
        assertEquals(404, unknownApiPath.status(), unknownApiPath.body());
        assertEquals("NOT_FOUND", unknownApiPath.errorCode());

        Api.Result unknownPath = api.get("/no-such-page", null);
        assertEquals(404, unknownPath.status(), unknownPath.body());
        assertEquals("NOT_FOUND", unknownPath.errorCode());

        Api.Result wrongMethod = api.get("/api/auth/login", null);
        assertEquals(405, wrongMethod.status(), wrongMethod.body());
        assertFalse(wrongMethod.json().getBoolean("success"));

        Api.Result wrongMediaType = api.send("POST", "/api/auth/login", "sipUri=x", null, "application/x-www-form-urlencoded");
        assertEquals(415, wrongMediaType.status(), wrongMediaType.body());
        assertFalse(wrongMediaType.json().getBoolean("success"));
    }

    private void assertInvalid(Api.Result r) {
        assertEquals(401, r.status(), r.body());
        assertEquals("INVALID_TOKEN", r.errorCode(), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    private static JWTClaimsSet claims(String userId, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer("sipgw")
                .subject(userId)
                .claim("upn", userId)
                .claim("groups", List.of("user"))
                .jwtID(java.util.UUID.randomUUID().toString())
                .issueTime(Date.from(expiresAt.minusSeconds(3600)))
                .expirationTime(Date.from(expiresAt))
                .build();
    }

    private static String sign(JWTClaimsSet claims, RSAPrivateKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void theUsersCredentialsAnswerTheSipServersChallengesToMessagesAndCalls() throws Exception {
        int port = Integer.getInteger("it.spare.port");
        String target = "sip:t7@127.0.0.1:" + port;
        try (RecordingRegistrar server = new RecordingRegistrar(port)) {
            CompletableFuture<Api.Result> login = CompletableFuture.supplyAsync(() -> login("sip:t13@127.0.0.1:" + port, "secret123"));
            server.challenge(server.awaitRequest("REGISTER", WAIT.toMillis()), 401, "127.0.0.1", "nonce-register");
            RequestEvent register = server.awaitRequest("REGISTER", WAIT.toMillis());
            assertTrue(RecordingRegistrar.hasValidDigest(register.getRequest(), "Authorization", "t13", "secret123"));
            server.grant(register, 300);
            String token = login.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).data().getString("token");
            EventSocket socket = EventSocket.open(api, token);

            // the server challenges the MESSAGE (407, as proxies do); the gateway sends it again with credentials
            CompletableFuture<Api.Result> sent = CompletableFuture.supplyAsync(() -> api.post("/api/messages",
                    "{\"to\":\"" + target + "\",\"type\":\"TEXT\",\"content\":\"authorized\"}", token));
            RequestEvent message = server.awaitRequest("MESSAGE", WAIT.toMillis());
            server.challenge(message, 407, "127.0.0.1", "nonce-message");
            RequestEvent authorized = server.awaitRequest("MESSAGE", WAIT.toMillis());
            assertSentAgainWithCredentials(message.getRequest(), authorized.getRequest());
            server.answer(authorized, 200);
            Api.Result result = sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(200, result.status(), result.body());
            String messageId = result.data().getString("messageId");
            assertEquals("DELIVERED", statusUpdate(socket, messageId));

            // the same for a call: the authorized INVITE goes out in a new transaction and gets the real answer
            CompletableFuture<Api.Result> call = CompletableFuture.supplyAsync(() -> api.post("/api/calls",
                    jakarta.json.Json.createObjectBuilder().add("to", target).add("type", "AUDIO")
                            .add("sdp", io.sipgw.calls.SdpTest.CHROME_OFFER).build().toString(), token));
            RequestEvent invite = server.awaitRequest("INVITE", WAIT.toMillis());
            server.challenge(invite, 407, "127.0.0.1", "nonce-invite");
            RequestEvent authorizedInvite = server.awaitRequest("INVITE", WAIT.toMillis());
            assertSentAgainWithCredentials(invite.getRequest(), authorizedInvite.getRequest());
            server.answer(authorizedInvite, 486);
            Api.Result busy = call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(400, busy.status(), busy.body());
            assertEquals("CALL_BUSY", busy.errorCode());

            // credentials refused a second time: no endless loop, the message fails
            CompletableFuture<Api.Result> refused = CompletableFuture.supplyAsync(() -> api.post("/api/messages",
                    "{\"to\":\"" + target + "\",\"type\":\"TEXT\",\"content\":\"refused\"}", token));
            server.challenge(server.awaitRequest("MESSAGE", WAIT.toMillis()), 407, "127.0.0.1", "nonce-2");
            server.challenge(server.awaitRequest("MESSAGE", WAIT.toMillis()), 407, "127.0.0.1", "nonce-3");
            String failedId = refused.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).data().getString("messageId");
            assertEquals("FAILED", statusUpdate(socket, failedId));
            socket.close();
        }
    }

    private static void assertSentAgainWithCredentials(Request challenged, Request again) {
        assertEquals(((CallIdHeader) challenged.getHeader(CallIdHeader.NAME)).getCallId(),
                ((CallIdHeader) again.getHeader(CallIdHeader.NAME)).getCallId(), "same Call-ID");
        assertEquals(((CSeqHeader) challenged.getHeader(CSeqHeader.NAME)).getSeqNumber() + 1,
                ((CSeqHeader) again.getHeader(CSeqHeader.NAME)).getSeqNumber(), "next CSeq");
        assertTrue(RecordingRegistrar.hasValidDigest(again, ProxyAuthorizationHeader.NAME, "t13", "secret123"),
                "a correct Proxy-Authorization");
        assertEquals(new String(challenged.getRawContent(), StandardCharsets.UTF_8),
                new String(again.getRawContent(), StandardCharsets.UTF_8), "same body");
    }

    private static String statusUpdate(EventSocket socket, String messageId) {
        return socket.await("MESSAGE_STATUS_UPDATED", f -> f.getJsonObject("data").getString("messageId").equals(messageId), WAIT)
                .getJsonObject("data").getString("newStatus");
    }
}
