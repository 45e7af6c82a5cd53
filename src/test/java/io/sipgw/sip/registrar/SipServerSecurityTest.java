package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import io.sipgw.testing.FreePorts;
import io.sipgw.testing.SipPhone;
import io.sipgw.throttle.ThrottleSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sip.RequestEvent;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded SIP server as an attacker on the network meets it: hand-written SIP over UDP and TCP
 * ({@link RawSip}) next to well-behaved {@link SipPhone}s, and a {@link MutableClock} for nonce
 * lifetimes and locks.
 */
class SipServerSecurityTest {

    private static final String PASSWORD = "secret123";
    private static final String DOMAIN = "127.0.0.1";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final MutableClock clock = new MutableClock();
    private SipServer server;
    private int port;

    @BeforeEach
    void startServer() {
        server = start(ForeignRequests.REFUSE, ThrottleSettings.DEFAULTS);
    }

    private SipServer start(ForeignRequests foreign, ThrottleSettings throttle) {
        port = FreePorts.find();
        List<Account> accounts = List.of(account("alice"), account("bob"), account("carol"));
        SipServer started = new SipServer(new SipServerConfig(DOMAIN, port, DOMAIN, accounts, Duration.ofSeconds(300),
                Duration.ofSeconds(3600), foreign, throttle), clock);
        started.start();
        closeables.add(started::stop);
        return started;
    }

    @AfterEach
    void stopEverything() {
        CompletableFuture.allOf(closeables.stream().map(c -> CompletableFuture.runAsync(() -> {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toArray(CompletableFuture[]::new)).join();
    }

    private static Account account(String user) {
        return new Account(user, DOMAIN, Digest.ha1(user, DOMAIN, PASSWORD), null, null, null);
    }

    private SipPhone phone(String user) throws Exception {
        SipPhone phone = new SipPhone(user, DOMAIN, "127.0.0.1", port, FreePorts.find());
        closeables.add(phone);
        return phone;
    }

    private SipPhone registered(String user) throws Exception {
        SipPhone phone = phone(user);
        assertEquals(Response.OK, phone.register(PASSWORD, 600).getStatusCode());
        return phone;
    }

    private RawSip raw(RawSip.Transport transport) {
        RawSip raw = new RawSip(transport, port);
        closeables.add(raw);
        return raw;
    }

    private String aor(String user) {
        return "sip:" + user + "@" + DOMAIN + ":" + port;
    }

    /** An out-of-dialog request from {@code from} (a full URI) to {@code toUser}, without credentials. */
    private String request(RawSip raw, String method, String from, String toUser, String extraHeaders, String body) {
        return method + " " + aor(toUser) + " SIP/2.0\n"
                + "Via: SIP/2.0/" + raw.via() + " $LOCAL;rport;branch=z9hG4bK" + RawSip.unique() + "\n"
                + "Max-Forwards: 70\n"
                + "From: <" + from + ">;tag=" + RawSip.unique() + "\n"
                + "To: <" + aor(toUser) + ">\n"
                + "Call-ID: " + RawSip.unique() + "\n"
                + "CSeq: 1 " + method + "\n"
                + "Contact: <sip:attacker@$LOCAL>\n"
                + "Event: presence\n"
                + extraHeaders
                + (body.isEmpty() ? "" : "Content-Type: text/plain\n")
                + "\n" + body;
    }

    private String message(RawSip raw, String fromUser, String toUser, String extraHeaders, String text) {
        return request(raw, "MESSAGE", "sip:" + fromUser + "@" + DOMAIN, toUser, extraHeaders, text);
    }

    /** A Proxy-Authorization line answering {@code challengeResponse} for a request to {@code toUser}. */
    private String proxyAuthorization(String challengeResponse, String user, String password, String method,
            String toUser, int nc) {
        String nonce = RawSip.digestParameter(RawSip.header(challengeResponse, "Proxy-Authenticate"), "nonce");
        String cnonce = Digest.newCnonce();
        String ncText = String.format("%08x", nc);
        String response = Digest.response(Digest.ha1(user, DOMAIN, password), method, aor(toUser), nonce, ncText,
                cnonce, "auth");
        return "Proxy-Authorization: Digest username=\"" + user + "\", realm=\"" + DOMAIN + "\", nonce=\"" + nonce
                + "\", uri=\"" + aor(toUser) + "\", response=\"" + response + "\", algorithm=MD5, qop=auth, nc="
                + ncText + ", cnonce=\"" + cnonce + "\"\n";
    }

    private static String text(RequestEvent event) {
        return new String(event.getRequest().getRawContent(), StandardCharsets.UTF_8);
    }

    // --- item 1: every out-of-dialog request of a local user proves who it is ---

    @ParameterizedTest
    @EnumSource(RawSip.Transport.class)
    void messageWithForgedFromIsChallenged(RawSip.Transport transport) throws Exception {
        SipPhone bob = registered("bob");
        RawSip attacker = raw(transport);

        String challenge = attacker.exchange(message(attacker, "alice", "bob", "", "I am alice"));

        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(challenge), challenge);
        String proxyAuthenticate = RawSip.header(challenge, "Proxy-Authenticate");
        assertNotNull(proxyAuthenticate, challenge);
        assertEquals(DOMAIN, RawSip.digestParameter(proxyAuthenticate, "realm"));
        assertEquals("auth", RawSip.digestParameter(proxyAuthenticate, "qop"));

        String withPassword = message(attacker, "alice", "bob",
                proxyAuthorization(challenge, "alice", PASSWORD, "MESSAGE", "bob", 1), "really alice");
        attacker.send(withPassword);
        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        assertEquals("really alice", text(received), "the unauthenticated MESSAGE never reached bob");
        assertNull(received.getRequest().getHeader(ProxyAuthorizationHeader.NAME), "credentials consumed");
        bob.answer(received, Response.OK);
        assertEquals(Response.OK, RawSip.status(attacker.awaitFinal()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"INVITE", "OPTIONS", "SUBSCRIBE", "REFER", "INFO", "PUBLISH"})
    void everyOutOfDialogRequestIsChallenged(String method) {
        RawSip attacker = raw(RawSip.Transport.UDP);

        String answer = attacker.exchange(request(attacker, method, "sip:alice@" + DOMAIN, "bob", "", ""));

        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(answer), answer);
    }

    @Test
    void fromWithThePortOfTheServerIsStillALocalUser() {
        RawSip attacker = raw(RawSip.Transport.UDP);

        String answer = attacker.exchange(request(attacker, "MESSAGE", aor("alice"), "bob", "", "hi"));

        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(answer), answer);
    }

    @Test
    void credentialsOfAnotherUserDoNotSpeakForTheFromUser() throws Exception {
        registered("bob");
        RawSip mallory = raw(RawSip.Transport.UDP);
        String challenge = mallory.exchange(message(mallory, "alice", "bob", "", "x"));

        String answer = mallory.exchange(message(mallory, "alice", "bob",
                proxyAuthorization(challenge, "carol", PASSWORD, "MESSAGE", "bob", 1), "carol as alice"));

        assertEquals(Response.FORBIDDEN, RawSip.status(answer), answer);
    }

    @Test
    void digestUriOtherThanTheRequestUriIsRefused() throws Exception {
        registered("bob");
        RawSip raw = raw(RawSip.Transport.UDP);
        String challenge = raw.exchange(message(raw, "alice", "bob", "", "x"));
        String forCarol = proxyAuthorization(challenge, "alice", PASSWORD, "MESSAGE", "carol", 1);

        String answer = raw.exchange(message(raw, "alice", "bob", forCarol, "credentials of another request"));

        assertEquals(Response.BAD_REQUEST, RawSip.status(answer), answer);
    }

    @Test
    void requestFromAForeignDomainIsRefusedByDefault() {
        RawSip raw = raw(RawSip.Transport.UDP);

        String answer = raw.exchange(request(raw, "MESSAGE", "sip:alice@example.org", "bob", "", "hi"));

        assertEquals(Response.FORBIDDEN, RawSip.status(answer), answer);
    }

    @Test
    void requestFromAForeignDomainIsForwardedWhenThePolicyAccepts() throws Exception {
        start(ForeignRequests.ACCEPT, ThrottleSettings.DEFAULTS);
        SipPhone bob = registered("bob");
        RawSip raw = raw(RawSip.Transport.UDP);

        raw.send(request(raw, "MESSAGE", "sip:dave@example.org", "bob", "", "from afar"));

        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        assertEquals("from afar", text(received));
        bob.answer(received, Response.OK);
        assertEquals(Response.OK, RawSip.status(raw.awaitFinal()));
    }

    @Test
    void inDialogRequestToAUserIsNotAWayAroundTheChallenge() throws Exception {
        SipPhone bob = registered("bob");
        RawSip raw = raw(RawSip.Transport.UDP);
        String withToTag = message(raw, "alice", "bob", "", "sneaky")
                .replace("To: <" + aor("bob") + ">", "To: <" + aor("bob") + ">;tag=forged")
                .replace("Max-Forwards: 70\n", "Max-Forwards: 70\nRoute: <sip:" + DOMAIN + ":" + port + ";lr>\n");

        String answer = raw.exchange(withToTag);

        assertEquals(Response.NOT_FOUND, RawSip.status(answer), answer);
        String legit = message(raw, "alice", "bob", "", "x");
        String challenge = raw.exchange(legit);
        raw.send(message(raw, "alice", "bob", proxyAuthorization(challenge, "alice", PASSWORD, "MESSAGE", "bob", 1),
                "first to arrive"));
        assertEquals("first to arrive", text(bob.awaitRequest(Request.MESSAGE)));
    }

    @Test
    void cancelIsNotChallenged() {
        RawSip raw = raw(RawSip.Transport.UDP);

        String answer = raw.exchange(request(raw, "CANCEL", "sip:alice@" + DOMAIN, "bob", "", ""));

        assertEquals(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST, RawSip.status(answer), answer);
    }

    // --- item 2: replay ---

    @Test
    void replayedProxyCredentialsAreChallengedAsStaleAndTheNextNonceCountWorks() throws Exception {
        SipPhone bob = registered("bob");
        RawSip raw = raw(RawSip.Transport.UDP);
        String challenge = raw.exchange(message(raw, "alice", "bob", "", "x"));
        String first = proxyAuthorization(challenge, "alice", PASSWORD, "MESSAGE", "bob", 1);
        raw.send(message(raw, "alice", "bob", first, "one"));
        RequestEvent one = bob.awaitRequest(Request.MESSAGE);
        bob.answer(one, Response.OK);
        assertEquals(Response.OK, RawSip.status(raw.awaitFinal()));

        String replay = raw.exchange(message(raw, "alice", "bob", first, "replayed"));

        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(replay), replay);
        assertEquals("true", RawSip.digestParameter(RawSip.header(replay, "Proxy-Authenticate"), "stale").toLowerCase());
        raw.send(message(raw, "alice", "bob", proxyAuthorization(challenge, "alice", PASSWORD, "MESSAGE", "bob", 2),
                "two, same nonce"));
        RequestEvent two = bob.awaitRequest(Request.MESSAGE);
        assertEquals("two, same nonce", text(two), "a nonce is reused with a higher nc, without a new 407");
        bob.answer(two, Response.OK);
        assertEquals(Response.OK, RawSip.status(raw.awaitFinal()));
    }

    @Test
    void expiredNonceIsChallengedAsStale() {
        RawSip raw = raw(RawSip.Transport.UDP);
        String challenge = raw.exchange(message(raw, "alice", "bob", "", "x"));
        clock.advance(Duration.ofSeconds(300));

        String answer = raw.exchange(message(raw, "alice", "bob",
                proxyAuthorization(challenge, "alice", PASSWORD, "MESSAGE", "bob", 1), "late"));

        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(answer), answer);
        assertEquals("true", RawSip.digestParameter(RawSip.header(answer, "Proxy-Authenticate"), "stale").toLowerCase());
    }

    @Test
    void registerAnsweredWithoutQopIsChallengedAgain() throws Exception {
        SipPhone alice = phone("alice");
        Response challenge = alice.send(alice.registerRequest(600)).awaitFinal();
        Request rfc2069 = alice.registerRequest(600);
        AuthorizationHeader credentials = Credentials.answer(alice.headers().createAuthorizationHeader("Digest"),
                rfc2069, (WWWAuthenticateHeader) challenge.getHeader(WWWAuthenticateHeader.NAME), "alice", PASSWORD, 1,
                false);
        rfc2069.setHeader(credentials);

        Response again = alice.send(rfc2069).awaitFinal();

        assertEquals(Response.UNAUTHORIZED, again.getStatusCode());
        assertTrue(server.locations().bindings("alice").isEmpty(), "the right password without qop binds nothing");
    }

    // --- item 3: brute force ---

    @Test
    void lockedUserIsRefusedUntilLockExpires() throws Exception {
        SipPhone alice = phone("alice");
        Response challenge = alice.send(alice.registerRequest(600)).awaitFinal();
        for (int i = 0; i < 5; i++) {
            assertEquals(Response.FORBIDDEN,
                    alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "alice", "guess" + i))
                            .status());
        }

        assertEquals(Response.FORBIDDEN,
                alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "alice", PASSWORD)).status(),
                "the right password is refused while locked");
        RawSip raw = raw(RawSip.Transport.UDP);
        String proxyChallenge = raw.exchange(message(raw, "alice", "bob", "", "x"));
        assertEquals(Response.FORBIDDEN, RawSip.status(raw.exchange(message(raw, "alice", "bob",
                proxyAuthorization(proxyChallenge, "alice", PASSWORD, "MESSAGE", "bob", 1), "x"))),
                "the lock covers the 407 path too");

        clock.advance(Duration.ofSeconds(30));
        assertEquals(Response.OK,
                alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "alice", PASSWORD)).status());
    }

    @Test
    void failuresOnChallengedRequestsLockTheUserToo() throws Exception {
        RawSip raw = raw(RawSip.Transport.TCP);
        String challenge = raw.exchange(message(raw, "alice", "bob", "", "x"));
        for (int i = 0; i < 5; i++) {
            assertEquals(Response.FORBIDDEN, RawSip.status(raw.exchange(message(raw, "alice", "bob",
                    proxyAuthorization(challenge, "alice", "guess" + i, "MESSAGE", "bob", 1), "x"))));
        }

        SipPhone alice = phone("alice");
        Response registerChallenge = alice.send(alice.registerRequest(600)).awaitFinal();

        assertEquals(Response.FORBIDDEN, alice.send(
                alice.withCredentials(alice.registerRequest(600), registerChallenge, "alice", PASSWORD)).status());
    }

    @Test
    void lockedAddressIsRefusedForEveryUser() throws Exception {
        start(ForeignRequests.REFUSE, new ThrottleSettings(100, 3, Duration.ofSeconds(60), Duration.ofSeconds(30),
                Duration.ofSeconds(60), 1000));
        RawSip raw = raw(RawSip.Transport.UDP);
        for (String user : List.of("alice", "bob", "nobody")) {
            String challenge = raw.exchange(message(raw, user, "carol", "", "x"));
            assertEquals(Response.FORBIDDEN, RawSip.status(raw.exchange(message(raw, user, "carol",
                    proxyAuthorization(challenge, user, "wrong", "MESSAGE", "carol", 1), "x"))));
        }
        String challenge = raw.exchange(message(raw, "carol", "alice", "", "x"));
        String rightPassword = proxyAuthorization(challenge, "carol", PASSWORD, "MESSAGE", "alice", 1);

        assertEquals(Response.FORBIDDEN, RawSip.status(raw.exchange(message(raw, "carol", "alice", rightPassword, "x"))));

        clock.advance(Duration.ofSeconds(30));
        assertEquals(Response.TEMPORARILY_UNAVAILABLE,
                RawSip.status(raw.exchange(message(raw, "carol", "alice", rightPassword, "x"))),
                "after the lock carol's right password works (alice is offline)");
    }

    // --- item 4: enumeration ---

    @Test
    void unknownAndKnownSendersGetTheSameProxyChallenge() {
        RawSip raw = raw(RawSip.Transport.UDP);

        String known = raw.exchange(message(raw, "alice", "bob", "", "x"));
        String unknown = raw.exchange(message(raw, "nobody", "bob", "", "x"));

        assertEquals(RawSip.status(known), RawSip.status(unknown));
        assertEquals(statusLine(known), statusLine(unknown));
        String unknownChallenge = RawSip.header(unknown, "Proxy-Authenticate");
        assertEquals(RawSip.header(known, "Proxy-Authenticate").replaceAll("nonce=\"[^\"]*\"", ""),
                unknownChallenge.replaceAll("nonce=\"[^\"]*\"", ""));
        assertEquals(Response.FORBIDDEN, RawSip.status(raw.exchange(message(raw, "nobody", "bob",
                proxyAuthorization(unknown, "nobody", PASSWORD, "MESSAGE", "bob", 1), "x"))),
                "an unknown sender's credentials fail as a wrong password does");
    }

    @Test
    void unauthenticatedOptionsDoesNotTellWhoIsOnline() throws Exception {
        registered("bob");
        RawSip raw = raw(RawSip.Transport.UDP);
        List<String> answers = new ArrayList<>();

        for (String target : List.of("bob", "carol", "nobody")) {
            for (String from : List.of("sip:alice@" + DOMAIN, "sip:nobody@" + DOMAIN, "sip:x@example.org")) {
                String answer = raw.exchange(request(raw, "OPTIONS", from, target, "", ""));
                answers.add(from + " -> " + target + ": " + statusLine(answer));
            }
        }

        for (int i = 0; i < answers.size(); i++) {
            String expected = i % 3 == 2 ? "403 Foreign Senders Not Accepted" : "407 Proxy Authentication required";
            assertTrue(answers.get(i).toLowerCase().endsWith(expected.toLowerCase()), answers.toString());
        }
    }

    // --- items 5 and 6: protocol version and sizes ---

    @ParameterizedTest
    @EnumSource(RawSip.Transport.class)
    void sipVersion7Gets505(RawSip.Transport transport) {
        RawSip raw = raw(transport);

        String answer = raw.exchange(message(raw, "alice", "bob", "", "x").replaceFirst(" SIP/2\\.0\n", " SIP/7.0\n"));

        assertEquals(Response.VERSION_NOT_SUPPORTED, RawSip.status(answer), answer);
    }

    @ParameterizedTest
    @EnumSource(RawSip.Transport.class)
    void messageWithA300CharacterFromUserIs400(RawSip.Transport transport) {
        RawSip raw = raw(transport);

        String answer = raw.exchange(message(raw, "a".repeat(300), "bob", "", "x"));

        assertEquals(Response.BAD_REQUEST, RawSip.status(answer), answer);
    }

    @Test
    void oversizedRequestUriToAndCallIdAre400() {
        RawSip raw = raw(RawSip.Transport.TCP);
        String longUser = "b".repeat(300);

        assertEquals(Response.BAD_REQUEST, RawSip.status(raw.exchange(message(raw, "alice", longUser, "", "x"))));
        assertEquals(Response.BAD_REQUEST, RawSip.status(raw.exchange(message(raw, "alice", "bob", "", "x")
                .replace("To: <" + aor("bob") + ">", "To: <sip:bob@" + "h".repeat(300) + ".example>"))));
        assertEquals(Response.BAD_REQUEST, RawSip.status(raw.exchange(message(raw, "alice", "bob", "", "x")
                .replaceFirst("Call-ID: ", "Call-ID: " + "c".repeat(300)))));
        assertEquals(Response.BAD_REQUEST, RawSip.status(raw.exchange(request(raw, "REGISTER",
                "sip:" + longUser + "@" + DOMAIN, longUser, "", ""))));
    }

    @Test
    void oversizedDigestUserNameIs400AndNotTracked() {
        RawSip raw = raw(RawSip.Transport.TCP);
        String challenge = raw.exchange(message(raw, "alice", "bob", "", "x"));
        String huge = "m".repeat(10_000);

        String answer = raw.exchange(message(raw, "alice", "bob",
                proxyAuthorization(challenge, huge, PASSWORD, "MESSAGE", "bob", 1), "x"));

        assertEquals(Response.BAD_REQUEST, RawSip.status(answer), answer);
    }

    @Test
    void requestTheStackCannotMakeATransactionOfIs400NotSilence() {
        RawSip raw = raw(RawSip.Transport.UDP);

        String answer = raw.exchange(request(raw, "PUBLISH", "sip:alice@" + DOMAIN, "bob", "", "")
                .replace("Event: presence\n", ""));

        assertEquals(Response.BAD_REQUEST, RawSip.status(answer), answer);
    }

    @ParameterizedTest
    @EnumSource(RawSip.Transport.class)
    void emptyFromTagIsChallengedLikeAnyOtherNotAServerError(RawSip.Transport transport) {
        RawSip raw = raw(transport);

        String answer = raw.exchange(message(raw, "alice", "bob", "", "x").replaceFirst(";tag=[0-9a-f]+", ";tag="));

        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(answer), answer);
    }

    @ParameterizedTest
    @EnumSource(RawSip.Transport.class)
    void proxyRequireIs420WithUnsupportedBeforeAnyChallenge(RawSip.Transport transport) {
        RawSip raw = raw(transport);

        String answer = raw.exchange(message(raw, "alice", "bob", "Proxy-Require: sec-agree, foo\n", "x"));

        assertEquals(Response.BAD_EXTENSION, RawSip.status(answer), answer);
        assertEquals(List.of("sec-agree", "foo"), List.of(RawSip.header(answer, "Unsupported").split("\\s*,\\s*")), answer);
    }

    @Test
    void registerRequiringAnExtensionIs420() {
        RawSip raw = raw(RawSip.Transport.UDP);

        String answer = raw.exchange(request(raw, "REGISTER", "sip:alice@" + DOMAIN, "alice", "Require: gruu\n", ""));

        assertEquals(Response.BAD_EXTENSION, RawSip.status(answer), answer);
    }

    @Test
    void nonSipRequestUriIs416BeforeAnyChallenge() {
        RawSip raw = raw(RawSip.Transport.UDP);

        String answer = raw.exchange(message(raw, "alice", "bob", "", "x").replaceFirst("^MESSAGE \\S+", "MESSAGE tel:+15551234"));

        assertEquals(Response.UNSUPPORTED_URI_SCHEME, RawSip.status(answer), answer);
    }

    @ParameterizedTest
    @EnumSource(RawSip.Transport.class)
    void aRequestWhoseSenderHasGoneIsDroppedWithoutAWarning(RawSip.Transport transport) throws Exception {
        java.util.List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(handler);
        try {
            for (int i = 0; i < 20; i++) {
                try (RawSip gone = new RawSip(transport, port)) {
                    gone.send(message(gone, "alice", "bob", "", "x"));
                }
            }
            RawSip raw = raw(transport);
            String answer = raw.exchange(message(raw, "alice", "bob", "", "still here"));
            assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, RawSip.status(answer), answer);
            assertTrue(warnings.stream().noneMatch(r -> r.getThrown() != null || String.valueOf(r.getMessage()).contains("\n")),
                    () -> warnings.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString());
            assertTrue(warnings.stream().noneMatch(r -> String.valueOf(r.getMessage()).startsWith("Failed to handle")),
                    () -> warnings.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList().toString());
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(handler);
        }
    }

    private static String statusLine(String response) {
        return response.substring(0, response.indexOf("\r\n")).substring("SIP/2.0 ".length());
    }
}
