package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
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

/** The embedded SIP server over real SIP on loopback, driven by {@link TestAgent}s. */
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

    private TestAgent agent(String user) throws Exception {
        return agent(user, ListeningPoint.UDP);
    }

    private TestAgent agent(String user, String transport) throws Exception {
        TestAgent agent = new TestAgent(user, port, transport);
        agents.add(agent);
        return agent;
    }

    private TestAgent registered(String user) throws Exception {
        TestAgent agent = agent(user);
        assertEquals(Response.OK, agent.register(PASSWORD, 600).getStatusCode());
        return agent;
    }

    @Test
    void stackRunsWithoutLog4j() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.log4j.Logger"));
        assertTrue(server.isRunning());
    }

    @Test
    void registerWithoutCredentialsIsChallenged() throws Exception {
        TestAgent alice = agent("alice");
        alice.send(alice.register(600));

        Response challenge = alice.awaitResponse(Request.REGISTER);

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
        TestAgent alice = agent("alice");

        Response ok = alice.register(PASSWORD, 600);

        assertEquals(Response.OK, ok.getStatusCode());
        ContactHeader contact = (ContactHeader) ok.getHeader(ContactHeader.NAME);
        assertEquals(alice.contactUri(), TestAgent.uriOf(contact));
        assertTrue(contact.getExpires() > 590 && contact.getExpires() <= 600, "expires " + contact.getExpires());
        assertEquals(alice.contactUri().toString(), server.locations().mostRecent("alice").orElseThrow().contactUri());
    }

    @Test
    void expiresAboveTheMaximumIsCapped() throws Exception {
        Response ok = agent("alice").register(PASSWORD, 86_400);

        assertEquals(3600, ((ContactHeader) ok.getHeader(ContactHeader.NAME)).getExpires());
    }

    @Test
    void wrongPasswordIsRejected() throws Exception {
        TestAgent alice = agent("alice");
        alice.send(alice.register(600));
        Response challenge = alice.awaitResponse(Request.REGISTER);

        alice.send(alice.withCredentials(alice.register(600), challenge, "alice", "wrong"));

        assertEquals(Response.FORBIDDEN, alice.awaitResponse(Request.REGISTER).getStatusCode());
        assertTrue(server.locations().bindings("alice").isEmpty());
    }

    @Test
    void credentialsOfAnotherUserAreRejected() throws Exception {
        TestAgent alice = agent("alice");
        alice.send(alice.register(600));
        Response challenge = alice.awaitResponse(Request.REGISTER);

        alice.send(alice.withCredentials(alice.register(600), challenge, "bob", PASSWORD));

        assertEquals(Response.FORBIDDEN, alice.awaitResponse(Request.REGISTER).getStatusCode());
    }

    @Test
    void replayedCredentialsAreChallengedAsStale() throws Exception {
        TestAgent alice = agent("alice");
        alice.send(alice.register(600));
        Response challenge = alice.awaitResponse(Request.REGISTER);
        alice.send(alice.withCredentials(alice.register(600), challenge, "alice", PASSWORD));
        assertEquals(Response.OK, alice.awaitResponse(Request.REGISTER).getStatusCode());

        alice.send(alice.withCredentials(alice.register(600), challenge, "alice", PASSWORD));

        Response stale = alice.awaitResponse(Request.REGISTER);
        assertEquals(Response.UNAUTHORIZED, stale.getStatusCode());
        assertTrue(((WWWAuthenticateHeader) stale.getHeader(WWWAuthenticateHeader.NAME)).isStale());
    }

    @Test
    void unknownUserIsRejected() throws Exception {
        TestAgent mallory = agent("mallory");
        mallory.send(mallory.register(600));

        assertEquals(Response.NOT_FOUND, mallory.awaitResponse(Request.REGISTER).getStatusCode());
    }

    @Test
    void unregisterRemovesBinding() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = registered("bob");

        Response ok = alice.register(PASSWORD, 0);

        assertEquals(Response.OK, ok.getStatusCode());
        assertNull(ok.getHeader(ContactHeader.NAME));
        assertTrue(server.locations().bindings("alice").isEmpty());
        bob.send(bob.message(bob.addressOfRecord("alice"), "still there?"));
        assertEquals(Response.TEMPORARILY_UNAVAILABLE, bob.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void wildcardWithExpiresZeroRemovesAllBindings() throws Exception {
        TestAgent alice = registered("alice");
        Request removeAll = alice.register(0);
        removeAll.setHeader(alice.sip.headers().createContactHeader());
        alice.send(removeAll);
        Response challenge = alice.awaitResponse(Request.REGISTER);
        Request authorized = alice.register(0);
        authorized.setHeader(alice.sip.headers().createContactHeader());

        alice.send(alice.withCredentials(authorized, challenge, "alice", PASSWORD));

        assertEquals(Response.OK, alice.awaitResponse(Request.REGISTER).getStatusCode());
        assertTrue(server.locations().bindings("alice").isEmpty());
    }

    @Test
    void messageIsRoutedBetweenTwoRegisteredAgents() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = registered("bob");

        alice.send(alice.message(alice.addressOfRecord("bob"), "Hello Bob"));

        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        Request message = received.getRequest();
        assertEquals("Hello Bob", new String(message.getRawContent(), StandardCharsets.UTF_8));
        assertEquals(bob.contactUri(), message.getRequestURI());
        assertEquals(69, ((MaxForwardsHeader) message.getHeader(MaxForwardsHeader.NAME)).getMaxForwards());
        assertEquals(port, ((ViaHeader) message.getHeader(ViaHeader.NAME)).getPort(), "the proxy's Via is on top");
        bob.answer(bob.serverTransaction(received), Response.OK);
        assertEquals(Response.OK, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void messageReachesAgentRegisteredOverTcp() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = agent("bob", ListeningPoint.TCP);
        assertEquals(Response.OK, bob.register(PASSWORD, 600).getStatusCode());

        alice.send(alice.message(alice.addressOfRecord("bob"), "over TCP"));

        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        assertEquals("TCP", ((ViaHeader) received.getRequest().getHeader(ViaHeader.NAME)).getTransport().toUpperCase());
        bob.answer(bob.serverTransaction(received), Response.OK);
        assertEquals(Response.OK, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void unreachableContactIs503() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = agent("bob", ListeningPoint.TCP);
        assertEquals(Response.OK, bob.register(PASSWORD, 600).getStatusCode());
        agents.remove(bob);
        bob.close();

        alice.send(alice.message(alice.addressOfRecord("bob"), "are you there?"));

        assertEquals(Response.SERVICE_UNAVAILABLE, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void errorResponseOfTheCalleeIsRelayed() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = registered("bob");

        alice.send(alice.message(alice.addressOfRecord("bob"), "busy?"));
        RequestEvent received = bob.awaitRequest(Request.MESSAGE);
        bob.answer(bob.serverTransaction(received), Response.BUSY_HERE);

        assertEquals(Response.BUSY_HERE, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void messageToUnregisteredUserIs480() throws Exception {
        TestAgent alice = registered("alice");

        alice.send(alice.message(alice.addressOfRecord("carol"), "anyone?"));

        assertEquals(Response.TEMPORARILY_UNAVAILABLE, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void messageToUnknownUserIs404() throws Exception {
        TestAgent alice = registered("alice");

        alice.send(alice.message(alice.addressOfRecord("nobody"), "anyone?"));

        assertEquals(Response.NOT_FOUND, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void messageToAnotherDomainIsNotRelayed() throws Exception {
        TestAgent alice = registered("alice");
        Request message = alice.message(alice.sip.addresses().createSipURI("bob", "example.org"), "relay this");
        SipURI server = alice.serverUri();
        server.setLrParam();
        message.addHeader(alice.sip.headers().createRouteHeader(alice.sip.addresses().createAddress(server)));

        alice.send(message);

        assertEquals(Response.FORBIDDEN, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void requestWithExhaustedMaxForwardsIs483() throws Exception {
        TestAgent alice = registered("alice");
        registered("bob");
        Request message = alice.message(alice.addressOfRecord("bob"), "loop");
        ((MaxForwardsHeader) message.getHeader(MaxForwardsHeader.NAME)).setMaxForwards(0);

        alice.send(message);

        assertEquals(Response.TOO_MANY_HOPS, alice.awaitResponse(Request.MESSAGE).getStatusCode());
    }

    @Test
    void optionsToTheServerIsAnsweredWithAllow() throws Exception {
        TestAgent alice = agent("alice");
        Request options = alice.request(Request.OPTIONS, alice.addressOfRecord("alice"));
        options.setRequestURI(alice.serverUri());

        alice.send(options);

        Response ok = alice.awaitResponse(Request.OPTIONS);
        assertEquals(Response.OK, ok.getStatusCode());
        List<String> allowed = new ArrayList<>();
        ok.getHeaders(AllowHeader.NAME).forEachRemaining(h -> allowed.add(((AllowHeader) h).getMethod()));
        assertTrue(allowed.containsAll(List.of("REGISTER", "OPTIONS", "INVITE", "ACK", "BYE", "CANCEL", "MESSAGE")),
                allowed.toString());
    }

    @Test
    void inviteIsProxiedWithRecordRouteAndByeFollowsIt() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = registered("bob");

        alice.send(alice.request(Request.INVITE, alice.addressOfRecord("bob")));

        RequestEvent invite = bob.awaitRequest(Request.INVITE);
        RecordRouteHeader recordRoute = (RecordRouteHeader) invite.getRequest().getHeader(RecordRouteHeader.NAME);
        SipURI proxyUri = (SipURI) recordRoute.getAddress().getURI();
        assertEquals(port, proxyUri.getPort());
        assertTrue(proxyUri.hasLrParam());
        assertEquals("udp", proxyUri.getTransportParam());
        ServerTransaction inviteSt = bob.serverTransaction(invite);
        bob.answer(inviteSt, Response.RINGING);
        assertEquals(Response.RINGING, alice.awaitResponse(Request.INVITE).getStatusCode());
        bob.answer(inviteSt, Response.OK);
        ResponseEvent answered = alice.awaitResponseEvent(Request.INVITE);
        assertEquals(Response.OK, answered.getResponse().getStatusCode());
        assertNotNull(answered.getResponse().getHeader(RecordRouteHeader.NAME), "Record-Route comes back in the 2xx");

        Dialog dialog = answered.getDialog();
        long inviteCSeq = ((CSeqHeader) answered.getResponse().getHeader(CSeqHeader.NAME)).getSeqNumber();
        dialog.sendAck(dialog.createAck(inviteCSeq));
        RequestEvent ack = bob.awaitRequest(Request.ACK);
        assertEquals(port, topVia(ack.getRequest()).getPort(), "the ACK came through the proxy");

        alice.sendInDialog(dialog, dialog.createRequest(Request.BYE));
        RequestEvent bye = bob.awaitRequest(Request.BYE);
        assertEquals(port, topVia(bye.getRequest()).getPort(), "the BYE came through the proxy");
        assertEquals(bob.contactUri(), bye.getRequest().getRequestURI());
        bob.answer(bob.serverTransaction(bye), Response.OK);
        assertEquals(Response.OK, alice.awaitResponse(Request.BYE).getStatusCode());
    }

    @Test
    void cancelOfRingingInviteGives487() throws Exception {
        TestAgent alice = registered("alice");
        TestAgent bob = registered("bob");
        ClientTransaction inviting = alice.send(alice.request(Request.INVITE, alice.addressOfRecord("bob")));
        RequestEvent invite = bob.awaitRequest(Request.INVITE);
        ServerTransaction inviteSt = bob.serverTransaction(invite);
        bob.answer(inviteSt, Response.RINGING);
        assertEquals(Response.RINGING, alice.awaitResponse(Request.INVITE).getStatusCode());

        alice.cancel(inviting);

        assertEquals(Response.OK, alice.awaitResponse(Request.CANCEL).getStatusCode(), "CANCEL answered hop by hop");
        RequestEvent cancel = bob.awaitRequest(Request.CANCEL);
        bob.answer(bob.serverTransaction(cancel), Response.OK);
        bob.answer(inviteSt, Response.REQUEST_TERMINATED);
        assertEquals(Response.REQUEST_TERMINATED, alice.awaitResponse(Request.INVITE).getStatusCode());
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
