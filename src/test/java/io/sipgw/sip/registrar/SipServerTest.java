package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import io.sipgw.testing.FreePorts;
import io.sipgw.testing.SipPhone;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.address.SipURI;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The embedded SIP server over real SIP on loopback, driven by {@link SipPhone}s. */
class SipServerTest {

    private static final String PASSWORD = "secret123";
    private static final String DOMAIN = "127.0.0.1";

    private final List<AutoCloseable> agents = new ArrayList<>();
    private SipServer server;
    private int port;

    @BeforeEach
    void startServer() {
        port = FreePorts.find();
        List<Account> accounts = List.of(account("alice"), account("bob"), account("carol"));
        server = new SipServer(new SipServerConfig(DOMAIN, port, DOMAIN, accounts, Duration.ofSeconds(300),
                Duration.ofSeconds(3600)));
        server.start();
    }

    /** Stops the server and the agents side by side: JAIN-SIP spends a second stopping each stack. */
    @AfterEach
    void stopEverything() {
        agents.add(server::stop);
        CompletableFuture.allOf(agents.stream().map(agent -> CompletableFuture.runAsync(() -> {
            try {
                agent.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).toArray(CompletableFuture[]::new)).join();
    }

    private static Account account(String user) {
        return new Account(user, DOMAIN, Digest.ha1(user, DOMAIN, PASSWORD), null, null, null);
    }

    private SipPhone agent(String user) throws Exception {
        return agent(user, ListeningPoint.UDP);
    }

    private SipPhone agent(String user, String transport) throws Exception {
        SipPhone agent = new SipPhone(user, DOMAIN, "127.0.0.1", port, FreePorts.find(), transport);
        agents.add(agent);
        return agent;
    }

    private SipPhone registered(String user) throws Exception {
        SipPhone agent = agent(user);
        assertEquals(Response.OK, agent.register(PASSWORD, 600).getStatusCode());
        return agent;
    }

    /**
     * Sends {@code request} as a phone does through a server that challenges it: the 407, then the request
     * again (next CSeq, new branch) with Proxy-Authorization. Returns the second.
     */
    private static SipPhone.Outgoing sendAuthenticated(SipPhone phone, String user, Request request) throws Exception {
        Request retry = (Request) request.clone();
        Response challenge = phone.send(request).awaitFinal();
        assertEquals(Response.PROXY_AUTHENTICATION_REQUIRED, challenge.getStatusCode(), "challenged first");
        retry.removeFirst(ViaHeader.NAME);
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        retry.addFirst(phone.headers().createViaHeader(via.getHost(), via.getPort(), via.getTransport(), null));
        CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        return phone.send(phone.withCredentials(retry, challenge, user, PASSWORD));
    }

    @Test
    void stackRunsWithoutLog4j() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.log4j.Logger"));
        assertTrue(server.isRunning());
    }

    @Test
    void registerWithoutCredentialsIsChallenged() throws Exception {
        SipPhone alice = agent("alice");
        Response challenge = alice.send(alice.registerRequest(600)).awaitFinal();

        assertEquals(Response.UNAUTHORIZED, challenge.getStatusCode());
        WWWAuthenticateHeader www = (WWWAuthenticateHeader) challenge.getHeader(WWWAuthenticateHeader.NAME);
        assertEquals("Digest", www.getScheme());
        assertEquals(DOMAIN, www.getRealm());
        assertEquals("MD5", www.getAlgorithm());
        assertEquals("auth", www.getQop());
        assertFalse(www.getNonce().isEmpty());
        assertTrue(server.locations().bindings("alice").isEmpty());
    }

    @Test
    void registerWithRightPasswordBindsContact() throws Exception {
        SipPhone alice = agent("alice");

        Response ok = alice.register(PASSWORD, 600);

        assertEquals(Response.OK, ok.getStatusCode());
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        assertEquals(alice.contactUri(), contact.getAddress().getURI());
        assertTrue(contact.getExpires() > 590 && contact.getExpires() <= 600, "expires " + contact.getExpires());
        assertEquals(alice.contactUri().toString(), server.locations().mostRecent("alice").orElseThrow().contactUri());
    }

    @Test
    void aPhoneCountsForPresenceAndTheGatewaysOwnRegistrationDoesNot() throws Exception {
        SipPhone alice = agent("alice");
        assertEquals(Response.OK, alice.register(PASSWORD, 600).getStatusCode());
        assertTrue(server.locations().hasPhone("alice"));

        SipPhone gateway = agent("bob");
        Request register = gateway.registerRequest(600);
        register.setHeader(gateway.headers().createUserAgentHeader(java.util.List.of("sipgw")));
        Response challenge = gateway.send(register).awaitFinal();
        Request authorized = gateway.registerRequest(600);
        authorized.setHeader(gateway.headers().createUserAgentHeader(java.util.List.of("sipgw")));
        assertEquals(Response.OK, gateway.send(gateway.withCredentials(authorized, challenge, "bob", PASSWORD)).status());
        assertTrue(server.locations().mostRecent("bob").isPresent());
        assertFalse(server.locations().hasPhone("bob"), "User-Agent: sipgw is the gateway's own registration");
    }

    @Test
    void expiresAboveTheMaximumIsCapped() throws Exception {
        Response ok = agent("alice").register(PASSWORD, 86_400);

        assertEquals(3600, ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getExpires());
    }

    @Test
    void wrongPasswordIsRejected() throws Exception {
        SipPhone alice = agent("alice");
        Response challenge = alice.send(alice.registerRequest(600)).awaitFinal();

        Response refused = alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "alice", "wrong")).awaitFinal();

        assertEquals(Response.FORBIDDEN, refused.getStatusCode());
        assertTrue(server.locations().bindings("alice").isEmpty());
    }

    @Test
    void credentialsOfAnotherUserAreRejected() throws Exception {
        SipPhone alice = agent("alice");
        Response challenge = alice.send(alice.registerRequest(600)).awaitFinal();

        Response refused = alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "bob", PASSWORD)).awaitFinal();

        assertEquals(Response.FORBIDDEN, refused.getStatusCode());
    }

    @Test
    void replayedCredentialsAreChallengedAsStale() throws Exception {
        SipPhone alice = agent("alice");
        Response challenge = alice.send(alice.registerRequest(600)).awaitFinal();
        assertEquals(Response.OK,
                alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "alice", PASSWORD)).status());

        Response stale = alice.send(alice.withCredentials(alice.registerRequest(600), challenge, "alice", PASSWORD)).awaitFinal();

        assertEquals(Response.UNAUTHORIZED, stale.getStatusCode());
        assertTrue(((WWWAuthenticateHeader) stale.getHeader(WWWAuthenticateHeader.NAME)).isStale());
    }

    @Test
    void unknownAndKnownUserGetTheSameChallenge() throws Exception {
        SipPhone mallory = agent("mallory");
        SipPhone alice = agent("alice");

        Response unknown = mallory.send(mallory.registerRequest(600)).awaitFinal();
        Response known = alice.send(alice.registerRequest(600)).awaitFinal();

        assertEquals(Response.UNAUTHORIZED, unknown.getStatusCode());
        assertEquals(known.getStatusCode(), unknown.getStatusCode());
        assertEquals(known.getReasonPhrase(), unknown.getReasonPhrase());
        WWWAuthenticateHeader unknownChallenge = (WWWAuthenticateHeader) unknown.getHeader(WWWAuthenticateHeader.NAME);
        WWWAuthenticateHeader knownChallenge = (WWWAuthenticateHeader) known.getHeader(WWWAuthenticateHeader.NAME);
        assertEquals(knownChallenge.getRealm(), unknownChallenge.getRealm());
        assertEquals(knownChallenge.getQop(), unknownChallenge.getQop());
        assertEquals(knownChallenge.getNonce().length(), unknownChallenge.getNonce().length());
        Response refused = mallory.send(mallory.withCredentials(mallory.registerRequest(600), unknown, "mallory",
                PASSWORD)).awaitFinal();
        assertEquals(Response.FORBIDDEN, refused.getStatusCode(),
                "an unknown user's credentials fail as a wrong password does");
    }

    @Test
    void unregisterRemovesBinding() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = registered("bob");

        Response ok = alice.register(PASSWORD, 0);

        assertEquals(Response.OK, ok.getStatusCode());
        assertNull(ok.getHeader(ContactHeader.NAME));
        assertTrue(server.locations().bindings("alice").isEmpty());
        assertEquals(Response.TEMPORARILY_UNAVAILABLE, bob.sendMessage("alice", "still there?"));
    }

    @Test
    void wildcardWithExpiresZeroRemovesAllBindings() throws Exception {
        SipPhone alice = registered("alice");
        Request removeAll = alice.registerRequest(0);
        removeAll.setHeader(alice.headers().createContactHeader());
        Response challenge = alice.send(removeAll).awaitFinal();
        Request authorized = alice.registerRequest(0);
        authorized.setHeader(alice.headers().createContactHeader());

        Response ok = alice.send(alice.withCredentials(authorized, challenge, "alice", PASSWORD)).awaitFinal();

        assertEquals(Response.OK, ok.getStatusCode());
        assertTrue(server.locations().bindings("alice").isEmpty());
    }

    @Test
    void messageIsRoutedBetweenTwoRegisteredAgents() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = registered("bob");

        SipPhone.Outgoing sent = sendAuthenticated(alice, "alice", alice.message(alice.addressOfRecord("bob"), "Hello Bob"));

        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        Request message = received.getRequest();
        assertEquals("Hello Bob", new String(message.getRawContent(), StandardCharsets.UTF_8));
        assertEquals(bob.contactUri(), message.getRequestURI());
        assertEquals(69, ((MaxForwardsHeader) message.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        assertEquals(port, ((ViaHeader) message.getHeader(ViaHeader.NAME)).getPort(), "the proxy's Via is on top");
        bob.answer(received, Response.OK);
        assertEquals(Response.OK, sent.status());
    }

    @Test
    void messageReachesAgentRegisteredOverTcp() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = agent("bob", ListeningPoint.TCP);
        assertEquals(Response.OK, bob.register(PASSWORD, 600).getStatusCode());

        SipPhone.Outgoing sent = sendAuthenticated(alice, "alice", alice.message(alice.addressOfRecord("bob"), "over TCP"));

        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        assertEquals("TCP", ((ViaHeader) received.getRequest().getHeader(ViaHeader.NAME)).getTransport().toUpperCase());
        bob.answer(received, Response.OK);
        assertEquals(Response.OK, sent.status());
    }

    @Test
    void unreachableContactIs503() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = agent("bob", ListeningPoint.TCP);
        assertEquals(Response.OK, bob.register(PASSWORD, 600).getStatusCode());
        agents.remove(bob);
        bob.close();

        Response response = sendAuthenticated(alice, "alice", alice.message(alice.addressOfRecord("bob"), "are you there?")).awaitFinal();

        assertEquals(Response.SERVICE_UNAVAILABLE, response.getStatusCode());
    }

    @Test
    void errorResponseOfTheCalleeIsRelayed() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = registered("bob");

        SipPhone.Outgoing sent = sendAuthenticated(alice, "alice", alice.message(alice.addressOfRecord("bob"), "busy?"));
        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        bob.answer(received, Response.BUSY_HERE);

        assertEquals(Response.BUSY_HERE, sent.status());
    }

    @Test
    void messageToUnregisteredUserIs480() throws Exception {
        SipPhone alice = registered("alice");

        Response response = sendAuthenticated(alice, "alice", alice.message(alice.addressOfRecord("carol"), "anyone?")).awaitFinal();

        assertEquals(Response.TEMPORARILY_UNAVAILABLE, response.getStatusCode());
    }

    @Test
    void messageToUnknownUserIs404() throws Exception {
        SipPhone alice = registered("alice");

        Response response = sendAuthenticated(alice, "alice", alice.message(alice.addressOfRecord("nobody"), "anyone?")).awaitFinal();

        assertEquals(Response.NOT_FOUND, response.getStatusCode());
    }

    @Test
    void messageToAnotherDomainIsNotRelayed() throws Exception {
        SipPhone alice = registered("alice");
        // the phone routes it through the server (Route with lr), as everything it sends
        Request message = alice.message(alice.addresses().createSipURI("bob", "example.org"), "relay this");

        Response response = sendAuthenticated(alice, "alice", message).awaitFinal();

        assertEquals(Response.FORBIDDEN, response.getStatusCode());
    }

    @Test
    void requestWithExhaustedMaxForwardsIs483BeforeAnyChallenge() throws Exception {
        SipPhone alice = registered("alice");
        registered("bob");
        Request message = alice.message(alice.addressOfRecord("bob"), "loop");
        ((MaxForwardsHeader) message.getHeader(MaxForwardsHeader.NAME)).setMaxForwards(0);

        // RFC 3261 section 16.3: Max-Forwards is checked before the proxy's policy (the 407)
        Response response = alice.send(message).awaitFinal();

        assertEquals(Response.TOO_MANY_HOPS, response.getStatusCode());
    }

    @Test
    void optionsToTheServerIsAnsweredWithAllow() throws Exception {
        SipPhone alice = agent("alice");
        Request options = alice.request(Request.OPTIONS, alice.addressOfRecord("alice"));
        options.setRequestURI(alice.serverUri());

        Response ok = alice.send(options).awaitFinal();

        assertEquals(Response.OK, ok.getStatusCode());
        List<String> allowed = new ArrayList<>();
        ok.getHeaders(AllowHeader.NAME).forEachRemaining(h -> allowed.add(((AllowHeader) h).getMethod()));
        assertTrue(allowed.containsAll(List.of("REGISTER", "OPTIONS", "INVITE", "ACK", "BYE", "CANCEL", "MESSAGE")),
                allowed.toString());
    }

    @Test
    void inviteIsProxiedWithRecordRouteAndByeFollowsIt() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = registered("bob");

        SipPhone.PhoneCall outgoing = alice.call(alice.addressOfRecord("bob"), null);

        RequestEvent invite = bob.awaitRequest(Request.INVITE);
        RecordRouteHeader recordRoute = (RecordRouteHeader) invite.getRequest().getHeader(RecordRouteHeader.NAME);
        SipURI proxyUri = (SipURI) recordRoute.getAddress().getURI();
        assertEquals(port, proxyUri.getPort());
        assertTrue(proxyUri.hasLrParam());
        assertEquals("udp", proxyUri.getTransportParam());
        SipPhone.PhoneCall incoming = bob.accept(invite);
        incoming.respond(Response.RINGING, null);
        outgoing.awaitResponse(Response.RINGING); // after the 407 the phone answered
        incoming.respond(Response.OK, null);
        Response answered = outgoing.nextResponse();
        assertEquals(Response.OK, answered.getStatusCode());
        assertNotNull(answered.getHeader(RecordRouteHeader.NAME), "Record-Route comes back in the 2xx");

        outgoing.ack(answered);
        RequestEvent ack = bob.awaitRequest(Request.ACK);
        assertEquals(port, topVia(ack.getRequest()).getPort(), "the ACK came through the proxy");

        SipPhone.Outgoing hangUp = outgoing.sendInDialog(Request.BYE, null, null);
        RequestEvent bye = bob.awaitRequest(Request.BYE);
        assertEquals(port, topVia(bye.getRequest()).getPort(), "the BYE came through the proxy");
        assertEquals(bob.contactUri(), bye.getRequest().getRequestURI());
        bob.answer(bye, Response.OK);
        assertEquals(Response.OK, hangUp.status());
    }

    @Test
    void cancelOfRingingInviteGives487() throws Exception {
        SipPhone alice = registered("alice");
        SipPhone bob = registered("bob");
        SipPhone.PhoneCall outgoing = alice.call(alice.addressOfRecord("bob"), null);
        SipPhone.PhoneCall incoming = bob.accept(bob.awaitRequest(Request.INVITE));
        incoming.respond(Response.RINGING, null);
        outgoing.awaitResponse(Response.RINGING); // after the 407 the phone answered

        SipPhone.Outgoing cancelling = outgoing.cancel();

        assertEquals(Response.OK, cancelling.status(), "CANCEL answered hop by hop");
        RequestEvent cancel = bob.awaitRequest(Request.CANCEL);
        bob.answer(cancel, Response.OK);
        incoming.respond(Response.REQUEST_TERMINATED, null);
        assertEquals(Response.REQUEST_TERMINATED, outgoing.nextResponse().getStatusCode());
    }

    @Test
    void stopFreesThePorts() {
        server.stop();

        InetAddress loopback = InetAddress.getLoopbackAddress();
        assertFalse(server.isRunning());
        assertTrue(FreePorts.isFreeForUdp(loopback, port), "UDP port released");
        assertTrue(FreePorts.isFreeForTcp(loopback, port), "TCP port released");
    }

    @Test
    void secondServerOnABusyPortFailsToStart() {
        SipServer second = new SipServer(server.config());

        assertThrows(IllegalStateException.class, second::start);
        assertFalse(second.isRunning());
    }

    private static ViaHeader topVia(Request request) {
        Iterator<?> vias = request.getHeaders(ViaHeader.NAME);
        return (ViaHeader) vias.next();
    }
}
