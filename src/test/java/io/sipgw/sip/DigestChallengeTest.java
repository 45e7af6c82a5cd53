package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;

/** Answering a SIP server's 407 to a MESSAGE or INVITE with the HA1 the registration learned. */
class DigestChallengeTest {

    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final MessageFactory messages;

    DigestChallengeTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        headers = factory.createHeaderFactory();
        addresses = factory.createAddressFactory();
        messages = factory.createMessageFactory();
    }

    private Registration registeredAlice() {
        Registration r = new Registration(SipUri.parse("sip:alice@127.0.0.1:5060"), null, "reg-call", "tag", "gwabc");
        r.offerPassword("secret123");
        r.ha1For("127.0.0.1"); // the REGISTER challenge taught the realm; the password is gone after this
        return r;
    }

    private Request message() throws Exception {
        var to = addresses.createAddress(addresses.createSipURI("bob", "127.0.0.1"));
        Request request = messages.createRequest(addresses.createSipURI("bob", "127.0.0.1"), Request.MESSAGE,
                headers.createCallIdHeader("msg-call"), headers.createCSeqHeader(1L, Request.MESSAGE),
                headers.createFromHeader(addresses.createAddress(addresses.createSipURI("alice", "127.0.0.1")), "ftag"),
                headers.createToHeader(to, null),
                new ArrayList<>(List.of(headers.createViaHeader("127.0.0.1", 5070, "udp", "z9hG4bK-1"))),
                headers.createMaxForwardsHeader(70));
        request.setContent("hello".getBytes(StandardCharsets.UTF_8), headers.createContentTypeHeader("text", "plain"));
        return request;
    }

    private Response challenge(Request request, String nonce, boolean stale) throws Exception {
        Response response = messages.createResponse(Response.PROXY_AUTHENTICATION_REQUIRED, request);
        ProxyAuthenticateHeader header = headers.createProxyAuthenticateHeader("Digest");
        header.setRealm("127.0.0.1");
        header.setNonce(nonce);
        header.setQop("auth");
        if (stale) {
            header.setParameter("stale", "true");
        }
        response.addHeader(header);
        return response;
    }

    @Test
    void theRetryIsTheSameRequestWithTheNextCseqNoViaAndACorrectProxyAuthorization() throws Exception {
        Request original = message();
        Request retry = DigestChallenge.of(challenge(original, "n1", false)).orElseThrow()
                .retry(headers, registeredAlice(), original).orElseThrow();

        assertEquals(2L, ((CSeqHeader) retry.getHeader(CSeqHeader.NAME)).getSeqNumber());
        assertEquals(1L, ((CSeqHeader) original.getHeader(CSeqHeader.NAME)).getSeqNumber(), "the original is untouched");
        assertNull(retry.getHeader(ViaHeader.NAME), "the sender adds a Via with a new branch");
        assertEquals("hello", new String(retry.getRawContent(), StandardCharsets.UTF_8));
        ProxyAuthorizationHeader auth = (ProxyAuthorizationHeader) retry.getHeader(ProxyAuthorizationHeader.NAME);
        assertEquals("alice", auth.getUsername());
        assertEquals("n1", auth.getNonce());
        String expected = Digest.response(Digest.ha1("alice", "127.0.0.1", "secret123"), "MESSAGE", "sip:bob@127.0.0.1",
                "n1", "00000001", auth.getCNonce(), "auth");
        assertEquals(expected, auth.getResponse());
    }

    @Test
    void refusedCredentialsAreNotSentAgainUnlessTheNonceWasStale() throws Exception {
        Request original = message();
        Registration alice = registeredAlice();
        Request answered = DigestChallenge.of(challenge(original, "n1", false)).orElseThrow().retry(headers, alice, original).orElseThrow();

        assertTrue(DigestChallenge.of(challenge(answered, "n2", false)).orElseThrow().retry(headers, alice, answered).isEmpty());
        Request again = DigestChallenge.of(challenge(answered, "n3", true)).orElseThrow().retry(headers, alice, answered).orElseThrow();
        assertEquals("n3", ((ProxyAuthorizationHeader) again.getHeader(ProxyAuthorizationHeader.NAME)).getNonce());
        assertEquals(1, countProxyAuthorizations(again), "the stale answer is replaced, not added to");
    }

    @Test
    void aChallengeForAnotherRealmIsNotAnswered() throws Exception {
        Request original = message();
        Response response = messages.createResponse(Response.PROXY_AUTHENTICATION_REQUIRED, original);
        ProxyAuthenticateHeader header = headers.createProxyAuthenticateHeader("Digest");
        header.setRealm("other.example.com");
        header.setNonce("n1");
        response.addHeader(header);
        assertTrue(DigestChallenge.of(response).orElseThrow().retry(headers, registeredAlice(), original).isEmpty());
    }

    @Test
    void onlyAuthenticationChallengesAreChallenges() throws Exception {
        assertTrue(DigestChallenge.of(messages.createResponse(Response.FORBIDDEN, message())).isEmpty());
        assertTrue(DigestChallenge.of(messages.createResponse(Response.PROXY_AUTHENTICATION_REQUIRED, message())).isEmpty(),
                "a 407 without a header cannot be answered");
    }

    @Test
    void requestsAfterAnAnsweredChallengeReuseItsNonceWithAnIncrementingCountAndFreshCnonce() throws Exception {
        Registration alice = registeredAlice();
        Request first = message();
        assertFalse(DigestChallenge.reuseLast(headers, alice, first), "nothing to reuse before the first challenge");
        DigestChallenge.of(challenge(first, "n1", false)).orElseThrow().retry(headers, alice, first).orElseThrow();

        Request second = message();
        Request third = message();
        assertTrue(DigestChallenge.reuseLast(headers, alice, second));
        assertTrue(DigestChallenge.reuseLast(headers, alice, third));
        ProxyAuthorizationHeader a2 = (ProxyAuthorizationHeader) second.getHeader(ProxyAuthorizationHeader.NAME);
        ProxyAuthorizationHeader a3 = (ProxyAuthorizationHeader) third.getHeader(ProxyAuthorizationHeader.NAME);
        assertEquals("n1", a2.getNonce());
        assertEquals(2, a2.getNonceCount());
        assertEquals(3, a3.getNonceCount());
        assertEquals("auth", a2.getQop());
        assertNotEquals(a2.getCNonce(), a3.getCNonce());
        assertEquals(Digest.response(Digest.ha1("alice", "127.0.0.1", "secret123"), "MESSAGE", "sip:bob@127.0.0.1",
                "n1", "00000003", a3.getCNonce(), "auth"), a3.getResponse());
        assertTrue(second.toString().contains("nc=00000002"), second.toString());
    }

    @Test
    void aChallengeToAReusedNonceIsAnsweredOnceWithTheNewNonceWhichIsReusedFromThen() throws Exception {
        Registration alice = registeredAlice();
        Request first = message();
        DigestChallenge.of(challenge(first, "n1", false)).orElseThrow().retry(headers, alice, first).orElseThrow();
        Request reused = message();
        DigestChallenge.reuseLast(headers, alice, reused);

        Request retry = DigestChallenge.of(challenge(reused, "n2", false)).orElseThrow().retry(headers, alice, reused).orElseThrow();
        ProxyAuthorizationHeader answer = (ProxyAuthorizationHeader) retry.getHeader(ProxyAuthorizationHeader.NAME);
        assertEquals("n2", answer.getNonce());
        assertEquals(1, answer.getNonceCount());
        assertTrue(DigestChallenge.of(challenge(retry, "n3", false)).orElseThrow().retry(headers, alice, retry).isEmpty(),
                "fresh credentials refused: no further round");

        Request next = message();
        DigestChallenge.reuseLast(headers, alice, next);
        assertEquals(2, ((ProxyAuthorizationHeader) next.getHeader(ProxyAuthorizationHeader.NAME)).getNonceCount());
        assertEquals("n2", ((ProxyAuthorizationHeader) next.getHeader(ProxyAuthorizationHeader.NAME)).getNonce());
    }

    @Test
    void aChallengeWithoutQopIsNotReused() throws Exception {
        Registration alice = registeredAlice();
        Request first = message();
        Response response = messages.createResponse(Response.PROXY_AUTHENTICATION_REQUIRED, first);
        ProxyAuthenticateHeader header = headers.createProxyAuthenticateHeader("Digest");
        header.setRealm("127.0.0.1");
        header.setNonce("n1");
        response.addHeader(header);
        DigestChallenge.of(response).orElseThrow().retry(headers, alice, first).orElseThrow();
        assertFalse(DigestChallenge.reuseLast(headers, alice, message()));
    }

    private static int countProxyAuthorizations(Request request) {
        int n = 0;
        for (var it = request.getHeaders(ProxyAuthorizationHeader.NAME); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }
}
