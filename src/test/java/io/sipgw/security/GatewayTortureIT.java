package io.sipgw.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.calls.SdpTest;
import io.sipgw.sip.fuzz.SipPeer;
import io.sipgw.sip.fuzz.TortureMessages;
import io.sipgw.sip.fuzz.TortureMessages.Torture;
import io.sipgw.testing.Api;
import io.sipgw.testing.EventSocket;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.SipPhone;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4475 torture messages ({@code TortureMessages}) against the gateway's own user agent ({@code sipgw.sip.port}), over UDP and
 * TCP, while a user is logged in: none is answered 500, the gateway answers an OPTIONS after each, and at
 * the end the logged-in user still receives a MESSAGE through the SIP server. (The embedded SIP server's
 * answer to each message, checked against what the RFC asks, is {@code SipServerTortureTest}.)
 */
@RunAsClient
class GatewayTortureIT extends GatewayIT {

    private static final String PASSWORD = "secret123";

    private final int gatewaySipPort = Integer.getInteger("it.sip.port");
    private final int phonePort = Integer.getInteger("it.phone.port");

    @Test
    void everyTortureMessageLeavesTheGatewayAnsweringAndALoggedInUserStillReceivesMessages() throws Exception {
        String x1 = api.login(uri("x1"));
        List<String> serverErrors = new ArrayList<>();
        Map<String, Integer> firstStatus = new HashMap<>();
        try (EventSocket socket = EventSocket.open(api, x1);
             SipPhone x2 = new SipPhone("x2", "127.0.0.1", "127.0.0.1", sipServerPort, phonePort);
             SipPeer probe = new SipPeer(SipPeer.Transport.UDP, gatewaySipPort)) {
            assertEquals(200, x2.register(PASSWORD, 300).getStatusCode());

            for (SipPeer.Transport transport : SipPeer.Transport.values()) {
                for (Torture torture : TortureMessages.ALL) {
                    try (SipPeer peer = new SipPeer(transport, gatewaySipPort)) {
                        peer.connect();
                        peer.send(TortureMessages.viaTo(torture.bytes(), peer.via(), peer.sentBy()));
                        assertTrue(alive(probe), "the gateway no longer answers OPTIONS after " + torture + " over " + transport);
                        Optional<String> answer;
                        while ((answer = peer.awaitAny(Duration.ofMillis(200))).isPresent()) {
                            System.out.println("[gateway torture] " + torture + " over " + transport + ": "
                                    + answer.get().lines().findFirst().orElse(""));
                            if (answer.get().startsWith("SIP/2.0 500")) {
                                serverErrors.add(torture + " over " + transport + ": " + answer.get());
                            }
                            firstStatus.putIfAbsent(torture.name() + "/" + transport, SipPeer.status(answer.get()));
                        }
                    }
                }
            }
            assertEquals(List.of(), serverErrors);
            for (SipPeer.Transport transport : SipPeer.Transport.values()) {
                // a user agent server: 416 for a scheme it does not know, 420 for an extension it must support
                assertEquals(416, firstStatus.get("unkscm/" + transport), "unkscm over " + transport);
                assertEquals(416, firstStatus.get("novelsc/" + transport), "novelsc over " + transport);
                assertEquals(420, firstStatus.get("bext01/" + transport), "bext01 over " + transport);
                assertEquals(505, firstStatus.get("badvers/" + transport), "badvers over " + transport);
                // its top Via is folded between transport and host: unfolded, the answer comes back to the sender
                assertTrue(firstStatus.containsKey("wsinv/" + transport), "no answer to wsinv over " + transport);
            }

            // an empty From tag on a request for the logged-in user, from the SIP server's address
            // the ITs' embedded server grants registrations of 5 s: register again before the phone is called
            assertEquals(200, x2.register(PASSWORD, 300).getStatusCode());
            SipURI contact = contactOf(x1, x2);
            for (SipPeer.Transport transport : SipPeer.Transport.values()) {
                try (SipPeer peer = new SipPeer(transport, gatewaySipPort)) {
                    peer.connect();
                    String message = "MESSAGE sip:" + contact.getUser() + "@127.0.0.1:" + gatewaySipPort + " SIP/2.0\r\n"
                            + "Via: SIP/2.0/" + peer.via() + " " + peer.sentBy() + ";branch=z9hG4bK" + UUID.randomUUID() + "\r\n"
                            + "Max-Forwards: 70\r\n"
                            + "From: <sip:x2@127.0.0.1>;tag=\r\n"
                            + "To: <sip:x1@127.0.0.1>;tag=\r\n"
                            + "Call-ID: " + UUID.randomUUID() + "\r\n"
                            + "CSeq: 1 MESSAGE\r\n"
                            + "Content-Type: text/plain\r\n"
                            + "Content-Length: 9\r\n\r\nempty tag";
                    peer.send(message.getBytes(StandardCharsets.US_ASCII));
                    Optional<String> answer = peer.awaitFinal(WAIT);
                    assertTrue(answer.isPresent(), "no answer to an empty From tag over " + transport);
                    int status = SipPeer.status(answer.get());
                    assertTrue(status < 500, "empty From tag over " + transport + ": " + answer.get());
                }
                assertTrue(alive(probe));
            }

            String text = "after the torture " + UUID.randomUUID();
            assertEquals(200, x2.sendMessage("x1", text));
            JsonObject received = socket.await("MESSAGE_RECEIVED",
                    f -> text.equals(f.getJsonObject("data").getString("content", "")), WAIT);
            assertEquals("sip:x2@127.0.0.1", received.getJsonObject("data").getString("from"));
            x2.register(PASSWORD, 0);
        }
    }

    /**
     * The gateway contact of {@code token}'s user, as any callee learns it: the user calls the phone, the
     * phone reads the INVITE's Contact and answers 486.
     */
    private SipURI contactOf(String token, SipPhone phone) throws Exception {
        CompletableFuture<Api.Result> placing = CompletableFuture.supplyAsync(() -> api.post("/api/calls",
                Json.createObjectBuilder().add("to", uri("x2")).add("type", "AUDIO").add("sdp", SdpTest.CHROME_OFFER)
                        .build().toString(), token));
        RequestEvent invite = phone.awaitRequest("INVITE", r -> true);
        SipURI contact = (SipURI) ((ContactHeader) invite.getRequest().getHeader(ContactHeader.NAME)).getAddress().getURI();
        phone.accept(invite).respond(486, null);
        assertEquals("CALL_BUSY", placing.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).errorCode());
        return contact;
    }

    /** Whether the gateway's user agent answers 200 to an OPTIONS. */
    private boolean alive(SipPeer probe) {
        String branch = "z9hG4bK" + UUID.randomUUID();
        String options = "OPTIONS sip:127.0.0.1:" + gatewaySipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + probe.sentBy() + ";branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1>;tag=" + UUID.randomUUID() + "\r\n"
                + "To: <sip:127.0.0.1:" + gatewaySipPort + ">\r\n"
                + "Call-ID: " + UUID.randomUUID() + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        probe.send(options.getBytes(StandardCharsets.US_ASCII));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> answer = probe.awaitFinal(Duration.ofNanos(deadline - System.nanoTime()));
            if (answer.isPresent() && answer.get().contains(branch)) {
                return SipPeer.status(answer.get()) == 200;
            }
        }
        return false;
    }
}
