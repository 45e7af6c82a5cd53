package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.Utils;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** RFC 3261 18.1.1: which transport the gateway's Via names for a request of a given size. */
class ViaTransportTest {

    private final HeaderFactory headers;
    private final AddressFactory addresses;
    private final MessageFactory messages;

    ViaTransportTest() throws Exception {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        headers = factory.createHeaderFactory();
        addresses = factory.createAddressFactory();
        messages = factory.createMessageFactory();
    }

    /** An INVITE whose body makes it {@code size} bytes long once it has a Via with the given branch. */
    private Request inviteOfSize(int size, String branch) throws Exception {
        SipURI to = addresses.createSipURI("bob", "127.0.0.1");
        Request invite = messages.createRequest(to, Request.INVITE,
                (CallIdHeader) headers.createCallIdHeader("c1@127.0.0.1"), headers.createCSeqHeader(1L, Request.INVITE),
                headers.createFromHeader(addresses.createAddress(addresses.createSipURI("alice", "127.0.0.1")), "t1"),
                headers.createToHeader(addresses.createAddress(to), null),
                List.of(headers.createViaHeader("127.0.0.1", 5070, "udp", branch)), headers.createMaxForwardsHeader(70),
                headers.createContentTypeHeader("application", "sdp"), "v=0\r\n");
        int missing = size - length(invite);
        invite.setContent("v=0\r\n" + "x".repeat(missing), headers.createContentTypeHeader("application", "sdp"));
        // the Content-Length value may have grown by a digit: trim the body until the request is exact
        while (length(invite) > size) {
            String body = new String(invite.getRawContent(), StandardCharsets.UTF_8);
            invite.setContent(body.substring(0, body.length() - 1), headers.createContentTypeHeader("application", "sdp"));
        }
        assertEquals(size, length(invite));
        invite.removeHeader(ViaHeader.NAME);
        return invite;
    }

    private static int length(Request request) {
        return request.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static ViaHeader via(Request request) {
        return (ViaHeader) request.getHeader(ViaHeader.NAME);
    }

    @Test
    void aRequestThatFitsADatagramWithItsBranchGoesOverUdp() throws Exception {
        String branch = Utils.getInstance().generateBranchId();
        Request invite = inviteOfSize(RequestBuilder.UDP_SIZE_LIMIT, branch);

        RequestBuilder.addVia(headers, invite, "127.0.0.1", 5070, "udp", branch);

        assertEquals("UDP", via(invite).getTransport().toUpperCase());
        assertEquals(branch, via(invite).getBranch());
        assertEquals(RequestBuilder.UDP_SIZE_LIMIT, length(invite), "the size measured is the size sent");
    }

    @Test
    void theBranchCountsTowardsTheDatagramLimit() throws Exception {
        // measured without its branch (as the stack would add it later) this INVITE looks small enough
        String branch = Utils.getInstance().generateBranchId();
        Request invite = inviteOfSize(RequestBuilder.UDP_SIZE_LIMIT + 1, branch);
        Request withoutBranch = (Request) invite.clone();
        withoutBranch.addHeader(headers.createViaHeader("127.0.0.1", 5070, "udp", null));
        assertTrue(length(withoutBranch) <= RequestBuilder.UDP_SIZE_LIMIT, "test premise: " + length(withoutBranch));

        RequestBuilder.addVia(headers, invite, "127.0.0.1", 5070, "udp", branch);

        assertEquals("TCP", via(invite).getTransport().toUpperCase());
        assertEquals(branch, via(invite).getBranch());
    }

    @Test
    void tcpStaysTcpWhateverTheSize() throws Exception {
        String branch = Utils.getInstance().generateBranchId();
        Request invite = inviteOfSize(600, branch);

        RequestBuilder.addVia(headers, invite, "127.0.0.1", 5070, "tcp", branch);

        assertEquals("TCP", via(invite).getTransport().toUpperCase());
    }

    @Test
    void anEarlierViaIsReplaced() throws Exception {
        String first = Utils.getInstance().generateBranchId();
        Request invite = inviteOfSize(800, first);
        invite.addHeader(headers.createViaHeader("127.0.0.1", 5070, "udp", first));
        String second = Utils.getInstance().generateBranchId();

        RequestBuilder.addVia(headers, invite, "127.0.0.1", 5070, "udp", second);

        assertEquals(1, countVias(invite));
        assertEquals(second, via(invite).getBranch());
    }

    private static int countVias(Request request) {
        int n = 0;
        for (var it = request.getHeaders(ViaHeader.NAME); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }
}
