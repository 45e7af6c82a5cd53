package io.sipgw.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.calls.SdpTest;
import io.sipgw.sip.registrar.RawSip;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.RecordingRegistrar;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.InetAddress;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * The gateway's SIP edge as a stranger on the same network sees it (issue 14): out-of-dialog requests to a
 * logged-in user's gateway contact are accepted only from the user's SIP server (or a configured trusted
 * hop), and the gateway answers a SIP server's challenge once, then reuses its nonce. The stranger is a raw
 * SIP sender bound to 127.0.0.2, another loopback address of this machine; the SIP server sends from
 * 127.0.0.1.
 */
@RunAsClient
class SipEdgeTrustIT extends GatewayIT {

    private static final String PASSWORD = "secret123";

    private final int phonePort = Integer.getInteger("it.phone.port");
    private final int gatewaySipPort = Integer.getInteger("it.sip.port");

    @Test
    void messageStraightToAUsersContactFromAnotherHostIsForbiddenAndNeverReachesTheUser() throws Exception {
        String s1 = api.login(uri("s1"));
        try (EventSocket socket = EventSocket.open(api, s1);
             SipPhone s2 = new SipPhone("s2", "127.0.0.1", "127.0.0.1", sipServerPort, phonePort)) {
            assertEquals(200, s2.register(PASSWORD, 300).getStatusCode());
            SipURI contact = contactOf(s1, s2, "s2");
            String forged = "forged " + UUID.randomUUID();

            try (RawSip stranger = new RawSip(RawSip.Transport.UDP, contact.getPort(), InetAddress.getByName("127.0.0.2"))) {
                String response = stranger.exchange(message(contact, "s2", forged));
                assertEquals(403, RawSip.status(response), response);
            }

            // a real message through the SIP server comes after it; the forged one never came before it
            String genuine = "genuine " + UUID.randomUUID();
            assertEquals(200, s2.sendMessage("s1", genuine));
            JsonObject first = socket.await("MESSAGE_RECEIVED", f -> content(f).equals(forged) || content(f).equals(genuine), WAIT);
            assertEquals(genuine, content(first));
            Api.Result history = api.get("/api/messages/sessions/s1@127.0.0.1-s2@127.0.0.1", s1);
            assertEquals(200, history.status(), history.body());
            assertFalse(history.body().contains(forged), history.body());
            assertTrue(history.body().contains(genuine), history.body());
            s2.register(PASSWORD, 0);
        }
    }

    @Test
    void theSameMessageThroughTheSipServerArrives() throws Exception {
        String s1 = api.login(uri("s1"));
        try (EventSocket socket = EventSocket.open(api, s1);
             SipPhone s2 = new SipPhone("s2", "127.0.0.1", "127.0.0.1", sipServerPort, phonePort)) {
            assertEquals(200, s2.register(PASSWORD, 300).getStatusCode());
            String text = "through the server " + UUID.randomUUID();
            assertEquals(200, s2.sendMessage("s1", text));
            JsonObject received = socket.await("MESSAGE_RECEIVED", f -> content(f).equals(text), WAIT);
            assertEquals("sip:s2@127.0.0.1", received.getJsonObject("data").getString("from"));
            s2.register(PASSWORD, 0);
        }
    }

    @Test
    void inviteStraightToAUsersContactFromAnotherHostIsForbiddenAndDoesNotRing() throws Exception {
        String s1 = api.login(uri("s1"));
        try (EventSocket socket = EventSocket.open(api, s1);
             SipPhone s2 = new SipPhone("s2", "127.0.0.1", "127.0.0.1", sipServerPort, phonePort)) {
            assertEquals(200, s2.register(PASSWORD, 300).getStatusCode());
            SipURI contact = contactOf(s1, s2, "s2");
            try (RawSip stranger = new RawSip(RawSip.Transport.UDP, contact.getPort(), InetAddress.getByName("127.0.0.2"))) {
                String invite = request("INVITE", contact, "s2")
                        + "\nContact: <sip:s2@$LOCAL>\nContent-Type: application/sdp\n\n" + SdpTest.CHROME_OFFER;
                String response = stranger.exchange(invite);
                assertEquals(403, RawSip.status(response), response);
            }
            Api.Result calls = api.get("/api/calls/history?type=INCOMING", s1);
            assertEquals(200, calls.status(), calls.body());
            assertEquals(0, calls.data().getJsonArray("content").size(), calls.body());
            assertTrue(socket.drain().stream().noneMatch(f -> "INCOMING_CALL".equals(f.getString("type", null))));
            s2.register(PASSWORD, 0);
        }
    }

    @Test
    void messagesInARowCostOneChallengeNotOneEach() throws Exception {
        int port = Integer.getInteger("it.spare.port");
        String target = "sip:s2@127.0.0.1:" + port;
        try (RecordingRegistrar server = new RecordingRegistrar(port)) {
            CompletableFuture<String> login = CompletableFuture.supplyAsync(() -> api.login("sip:s3@127.0.0.1:" + port));
            server.challenge(server.awaitRequest("REGISTER", WAIT.toMillis()), 401, "127.0.0.1", "nonce-register");
            server.grant(server.awaitRequest("REGISTER", WAIT.toMillis()), 300);
            String s3 = login.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            int challenges = 0;
            for (int n = 1; n <= 4; n++) {
                String text = "message " + n;
                CompletableFuture<Api.Result> sent = CompletableFuture.supplyAsync(() -> api.post("/api/messages",
                        "{\"to\":\"" + target + "\",\"type\":\"TEXT\",\"content\":\"" + text + "\"}", s3));
                RequestEvent message = server.awaitRequest("MESSAGE", WAIT.toMillis());
                if (message.getRequest().getHeader(ProxyAuthorizationHeader.NAME) == null) {
                    challenges++;
                    server.challenge(message, 407, "127.0.0.1", "nonce-message");
                    message = server.awaitRequest("MESSAGE", WAIT.toMillis());
                }
                assertTrue(RecordingRegistrar.hasValidDigest(message.getRequest(), ProxyAuthorizationHeader.NAME, "s3", PASSWORD));
                ProxyAuthorizationHeader auth = (ProxyAuthorizationHeader) message.getRequest().getHeader(ProxyAuthorizationHeader.NAME);
                assertEquals("nonce-message", auth.getNonce());
                assertEquals(n, auth.getNonceCount(), "nc counts the requests made with the nonce");
                server.answer(message, 200);
                assertEquals(200, sent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).status());
            }
            assertEquals(1, challenges, "one 407 for four messages");

            // a call after them reuses the nonce too
            CompletableFuture<Api.Result> call = CompletableFuture.supplyAsync(() -> api.post("/api/calls",
                    Json.createObjectBuilder().add("to", target).add("type", "AUDIO").add("sdp", SdpTest.CHROME_OFFER).build().toString(), s3));
            RequestEvent invite = server.awaitRequest("INVITE", WAIT.toMillis());
            assertTrue(RecordingRegistrar.hasValidDigest(invite.getRequest(), ProxyAuthorizationHeader.NAME, "s3", PASSWORD));
            assertEquals(5, ((ProxyAuthorizationHeader) invite.getRequest().getHeader(ProxyAuthorizationHeader.NAME)).getNonceCount());
            server.answer(invite, 486);
            assertEquals("CALL_BUSY", call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).errorCode());
        }
    }

    /**
     * The gateway contact of {@code token}'s user, as any callee learns it: the user calls the phone, the
     * phone reads the INVITE's Contact and answers 486.
     */
    private SipURI contactOf(String token, SipPhone phone, String phoneUser) throws Exception {
        CompletableFuture<Api.Result> placing = CompletableFuture.supplyAsync(() -> api.post("/api/calls",
                Json.createObjectBuilder().add("to", uri(phoneUser))
                        .add("type", "AUDIO").add("sdp", SdpTest.CHROME_OFFER).build().toString(), token));
        RequestEvent invite = phone.awaitRequest("INVITE", r -> true);
        SipURI contact = (SipURI) ((ContactHeader) invite.getRequest().getHeader(ContactHeader.NAME)).getAddress().getURI();
        phone.accept(invite).respond(486, null);
        assertEquals("CALL_BUSY", placing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).errorCode());
        assertEquals(gatewaySipPort, contact.getPort(), "the contact is the gateway's user agent");
        return contact;
    }

    /** A request line and the mandatory headers of an out-of-dialog request from {@code fromUser} to {@code contact}. */
    private static String request(String method, SipURI contact, String fromUser) {
        return method + " sip:" + contact.getUser() + "@127.0.0.1:" + contact.getPort() + " SIP/2.0\n"
                + "Via: SIP/2.0/UDP $LOCAL;branch=z9hG4bK" + RawSip.unique() + "\n"
                + "Max-Forwards: 70\n"
                + "From: <sip:" + fromUser + "@127.0.0.1>;tag=" + RawSip.unique() + "\n"
                + "To: <sip:" + contact.getUser() + "@127.0.0.1>\n"
                + "Call-ID: " + RawSip.unique() + "\n"
                + "CSeq: 1 " + method;
    }

    private static String message(SipURI contact, String fromUser, String text) {
        return request("MESSAGE", contact, fromUser) + "\nContent-Type: text/plain;charset=UTF-8\n\n" + text;
    }

    private static String content(JsonObject frame) {
        return frame.getJsonObject("data").getString("content", "");
    }
}
