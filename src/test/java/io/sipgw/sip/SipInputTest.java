package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import java.text.ParseException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The one check of values that reach SIP or SDP framing, and of incoming values the gateway stores. */
class SipInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"busy\r\nX-Injected: yes", "busy\n", "busy\r", "a\u0000b", "tab\there", "del\u007f", "c1\u0085"})
    void controlCharactersAreRefused(String value) {
        assertEquals("must not contain control characters (CR, LF, NUL, ...)", SipInput.problem(value, 200));
    }

    @Test
    void plainTextIncludingChineseAndQuotesIsFine() {
        assertNull(SipInput.problem("我在开会 \"稍后\" 回电", 200));
        assertNull(SipInput.problem(null, 200));
    }

    @Test
    void valueLongerThanItsBoundIsRefused() {
        assertEquals("at most 200 characters", SipInput.problem("x".repeat(201), 200));
        assertNull(SipInput.problem("x".repeat(200), 200));
    }

    @Test
    void requireThrowsValidationErrorNamingTheField() {
        ApiException e = assertThrows(ApiException.class, () -> SipInput.require("reason", "no\r\nway", 200));
        assertEquals(ErrorCode.VALIDATION_ERROR, e.code());
        assertTrue(e.details().get("reason").contains("control characters"), e.details().toString());
    }

    @Test
    void candidateWithLineBreakIsRefused() {
        assertNotNull(SipInput.candidateProblem("candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\na=fingerprint:sha-256 00"));
    }

    @Test
    void candidateMustBeACandidateAttribute() {
        assertNull(SipInput.candidateProblem("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host"));
        assertNull(SipInput.candidateProblem("a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host"));
        assertNull(SipInput.candidateProblem(""), "end-of-candidates");
        assertEquals("must be a candidate attribute (candidate:...)", SipInput.candidateProblem("a=setup:active"));
    }

    @Test
    void candidateOverTheBoundIsRefused() {
        assertEquals("at most 1024 characters", SipInput.candidateProblem("candidate:" + "1".repeat(1020)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0\r\na=setup:active", "audio video", "mid\u0000"})
    void sdpMidMustBeAToken(String mid) {
        assertNotNull(SipInput.sdpMidProblem(mid));
    }

    @Test
    void sdpMidIsBounded() {
        assertEquals("at most 32 characters", SipInput.sdpMidProblem("m".repeat(33)));
        assertNull(SipInput.sdpMidProblem("audio"));
        assertNull(SipInput.sdpMidProblem(null));
    }

    @Test
    void mLineIndexIsFrom0To63() {
        assertNull(SipInput.mLineIndexProblem(0));
        assertNull(SipInput.mLineIndexProblem(63));
        assertNull(SipInput.mLineIndexProblem(null));
        assertNotNull(SipInput.mLineIndexProblem(-1));
        assertNotNull(SipInput.mLineIndexProblem(64));
    }

    @Test
    void sdpLineWithABareCarriageReturnIsRefused() {
        assertEquals("line 2 contains a control character", SipInput.sdpLinesProblem("v=0\r\ns=-\rX: injected\r\n"));
    }

    @Test
    void sdpLineThatIsNotTypeEqualsValueIsRefused() {
        assertEquals("line 2 is not <type>=<value>", SipInput.sdpLinesProblem("v=0\r\n\r\ns=-\r\n"));
        assertEquals("line 2 is not <type>=<value>", SipInput.sdpLinesProblem("v=0\r\nINVITE sip:x SIP/2.0\r\n"));
        assertNull(SipInput.sdpLinesProblem("v=0\r\ns=-\r\n"));
    }

    @Test
    void uriUserPartOver64IsRefused() {
        assertEquals("the user part has at most 64 characters", SipInput.uriPartsProblem("u".repeat(65), "example.com"));
    }

    @Test
    void uriHostLabelOver63IsRefused() {
        assertEquals("a host name label has at most 63 characters",
                SipInput.uriPartsProblem("bob", "a".repeat(64) + ".example.com"));
        assertNull(SipInput.uriPartsProblem("bob", "[2001:db8::1]"));
    }

    @Test
    void incomingFromLongerThanTheStoredUserIdIsRefused() throws Exception {
        assertEquals("From Too Long", SipInput.storedValuesProblem(message("u".repeat(300), "127.0.0.1", "c1")));
        assertEquals("From Too Long", SipInput.storedValuesProblem(message("u".repeat(250), "example.com", "c1")));
        assertNull(SipInput.storedValuesProblem(message("alice", "127.0.0.1", "c1")));
    }

    @Test
    void incomingCallIdLongerThanStoredIsRefused() throws Exception {
        assertEquals("Call-ID Too Long", SipInput.storedValuesProblem(message("alice", "127.0.0.1", "c".repeat(256))));
    }

    private static Request message(String fromUser, String fromHost, String callId) throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        AddressFactory addresses = factory.createAddressFactory();
        HeaderFactory headers = factory.createHeaderFactory();
        MessageFactory messages = factory.createMessageFactory();
        var to = addresses.createSipURI("gw1", "127.0.0.1");
        try {
            return messages.createRequest(to, Request.MESSAGE, headers.createCallIdHeader(callId),
                    headers.createCSeqHeader(1L, Request.MESSAGE),
                    headers.createFromHeader(addresses.createAddress(addresses.createSipURI(fromUser, fromHost)), "t1"),
                    headers.createToHeader(addresses.createAddress(to), null), new java.util.ArrayList<>(),
                    headers.createMaxForwardsHeader(70));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
