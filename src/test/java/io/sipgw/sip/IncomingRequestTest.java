package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** What a capability reads from an incoming request, without JAIN-SIP types. */
class IncomingRequestTest {

    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final MessageFactory messages;

    IncomingRequestTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        headers = factory.createHeaderFactory();
        addresses = factory.createAddressFactory();
        messages = factory.createMessageFactory();
    }

    private IncomingRequest message(String displayName, byte[] body, String charset) throws Exception {
        SipURI to = addresses.createSipURI("gw1", "127.0.0.1");
        var from = addresses.createAddress(addresses.createSipURI("Carol", "Example.COM"));
        if (displayName != null) {
            from.setDisplayName(displayName);
        }
        Request request = messages.createRequest(to, Request.MESSAGE, headers.createCallIdHeader("c1@127.0.0.1"),
                headers.createCSeqHeader(7L, Request.MESSAGE), headers.createFromHeader(from, "tag1"),
                headers.createToHeader(addresses.createAddress(to), null),
                List.of(headers.createViaHeader("127.0.0.1", 5060, "udp", "z9hG4bK1")), headers.createMaxForwardsHeader(70));
        if (body != null) {
            ContentTypeHeader type = headers.createContentTypeHeader("text", "plain");
            if (charset != null) {
                type.setParameter("charset", charset);
            }
            request.setContent(body, type);
        }
        return new IncomingRequest(null, request, null, null, null);
    }

    @Test
    void senderIdIsUserAtLowerCaseHost() throws Exception {
        IncomingRequest request = message("Carol C", "hi".getBytes(StandardCharsets.UTF_8), null);
        assertEquals("Carol@example.com", request.from().userId());
        assertEquals("Carol C", request.from().displayName());
        assertEquals("c1@127.0.0.1", request.callId());
        assertEquals(7L, request.cseq());
        assertEquals("tag1", request.fromTag());
    }

    @Test
    void textIsDecodedInTheNamedCharsetAndUtf8Otherwise() throws Exception {
        assertEquals("café", message(null, "café".getBytes(StandardCharsets.ISO_8859_1), "ISO-8859-1").text());
        assertEquals("café", message(null, "café".getBytes(StandardCharsets.UTF_8), null).text());
        assertEquals("café", message(null, "café".getBytes(StandardCharsets.UTF_8), "no-such-charset").text());
        assertEquals("", message(null, null, null).text());
    }

    @Test
    void contentTypeIsComparedWithoutCase() throws Exception {
        IncomingRequest request = message(null, "x".getBytes(StandardCharsets.UTF_8), null);
        assertTrue(request.hasContentType("TEXT", "Plain"));
        assertFalse(request.hasContentType("application", "sdp"));
        assertFalse(message(null, null, null).hasContentType("text", "plain"));
        assertNull(message(null, null, null).contentSubType());
    }

    @Test
    void extensionHeadersAreReadByName() throws Exception {
        IncomingRequest request = message(null, "x".getBytes(StandardCharsets.UTF_8), null);
        assertEquals(Optional.empty(), request.header("X-Sipgw-Message-Id"));
        IncomingRequest withId = message(null, "x".getBytes(StandardCharsets.UTF_8), null);
        withId.request().addHeader(headers.createHeader("X-Sipgw-Message-Id", "msg-1"));
        assertEquals(Optional.of("msg-1"), withId.header("X-Sipgw-Message-Id"));
    }
}
