package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.testing.FreePorts;
import io.sipgw.testing.GatewayIT;
import io.sipgw.testing.SipPhone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.address.SipURI;
import javax.sip.header.ContactHeader;
import javax.sip.message.Response;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.junit.jupiter.api.Test;

/**
 * What the gateway's own SIP port (the user agent, {@code sipgw.sip.port}) answers to hand-written
 * requests from a trusted source (127.0.0.1, the SIP server's address): another SIP version is 505, and a
 * sender or Call-ID longer than the gateway stores is 400 rather than a failed insert (500).
 */
@RunAsClient
class UserAgentEdgeIT extends GatewayIT {

    private static final Pattern STATUS_LINE = Pattern.compile("^SIP/2\\.0 (\\d{3}) ");

    private final int gatewayPort = Integer.getInteger("it.sip.port");

    @Test
    void unknownSipVersionIs505() {
        String contact = "sip:nobody@127.0.0.1:" + gatewayPort;
        assertEquals(505, exchange(request("OPTIONS", contact, "alice", "c-" + unique(), null).replace(" SIP/2.0\r\n", " SIP/7.0\r\n")));
        assertEquals(200, exchange(request("OPTIONS", contact, "alice", "c-" + unique(), null)), "SIP/2.0 is still answered");
    }

    @Test
    void messageWhoseFromIsLongerThanStoredIsSipBadRequest() throws Exception {
        api.login(uri("t19"));
        String contact = gatewayContactOf("t19");
        assertEquals(400, exchange(request("MESSAGE", contact, "u".repeat(300), "c-" + unique(), "hello")));
        assertEquals(400, exchange(request("MESSAGE", contact, "alice", "c".repeat(300), "hello")), "Call-ID over 255");
        assertEquals(200, exchange(request("MESSAGE", contact, "alice", "c-" + unique(), "hello")), "a sender that fits is stored");
    }

    @Test
    void inviteWhoseFromIsLongerThanStoredIsSipBadRequest() throws Exception {
        api.login(uri("t19"));
        String contact = gatewayContactOf("t19");
        assertEquals(400, exchange(request("INVITE", contact, "u".repeat(300), "c-" + unique(), null)));
    }

    @Test
    void inviteFromATelUriIsSipBadRequest() throws Exception {
        api.login(uri("t19"));
        String contact = gatewayContactOf("t19");
        assertEquals(400, exchange(request("INVITE", contact, "tel:+15550100", "c-" + unique(), null, "phone")));
    }

    /**
     * The gateway's Contact for a logged-in user, as the embedded SIP server lists it: a REGISTER of the
     * user (with the user's credentials) that removes a contact it does not have is answered with the
     * current bindings.
     */
    private String gatewayContactOf(String user) throws Exception {
        try (SipPhone phone = new SipPhone(user, "127.0.0.1", "127.0.0.1", registrarPort, FreePorts.find())) {
            Response listing = phone.register("secret123", 0);
            assertEquals(200, listing.getStatusCode());
            for (var it = listing.getHeaders(ContactHeader.NAME); it.hasNext(); ) {
                SipURI uri = (SipURI) ((ContactHeader) it.next()).getAddress().getURI();
                if (uri.getPort() == gatewayPort) {
                    return "sip:" + uri.getUser() + "@127.0.0.1:" + gatewayPort;
                }
            }
            throw new AssertionError("no gateway contact for " + user + " in " + listing);
        }
    }

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** A raw out-of-dialog request over UDP, {@code $LOCAL} standing for the sender's address. */
    private static String request(String method, String requestUri, String fromUser, String callId, String text) {
        return request(method, requestUri, "sip:" + fromUser + "@127.0.0.1", callId, text, fromUser.length() > 64 ? "x" : fromUser);
    }

    private static String request(String method, String requestUri, String fromUri, String callId, String text, String contactUser) {
        String head = method + " " + requestUri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP $LOCAL;branch=z9hG4bK" + unique() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <" + fromUri + ">;tag=" + unique() + "\r\n"
                + "To: <" + requestUri + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:" + contactUser + "@$LOCAL>\r\n";
        if (text == null) {
            return head + "Content-Length: 0\r\n\r\n";
        }
        return head + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: "
                + text.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + text;
    }

    /** Sends the request from 127.0.0.1 to the gateway's SIP port and returns the first final status. */
    private int exchange(String request) {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout((int) WAIT.toMillis());
            byte[] bytes = request.replace("$LOCAL", "127.0.0.1:" + socket.getLocalPort()).getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), gatewayPort));
            while (true) {
                DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
                socket.receive(packet);
                Matcher status = STATUS_LINE.matcher(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                assertTrue(status.find(), "not a SIP response");
                int code = Integer.parseInt(status.group(1));
                if (code >= 200) {
                    return code;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no final response from the gateway's SIP port within " + WAIT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
