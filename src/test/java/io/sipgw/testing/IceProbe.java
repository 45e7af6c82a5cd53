package io.sipgw.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A UDP socket on loopback standing in for one ICE candidate of a browser: the test trickles
 * {@link #candidate} and waits for the STUN Binding Request (an ICE connectivity check, RFC 8445) that a
 * full ICE agent such as rtpengine sends to a remote candidate it has learned. The check's USERNAME is
 * {@code remoteUfrag:localUfrag} and its MESSAGE-INTEGRITY is keyed with the remote (browser's) password,
 * so a check proves the agent has the candidate and the browser's credentials.
 */
public final class IceProbe implements AutoCloseable {

    private static final int BINDING_REQUEST = 0x0001;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;

    /** One connectivity check received. */
    public record Check(InetSocketAddress from, String username, boolean integrityValid) {
    }

    private final DatagramSocket socket;

    public IceProbe() {
        try {
            socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new AssertionError("no UDP socket on loopback", e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** This socket as a host candidate line (component 1, UDP), as a browser trickles it. */
    public String candidate(String foundation) {
        return "candidate:" + foundation + " 1 udp 2122260223 127.0.0.1 " + port() + " typ host generation 0";
    }

    /**
     * The first STUN Binding Request within {@code timeout}, its MESSAGE-INTEGRITY checked with
     * {@code password}; empty when none came (other datagrams are skipped).
     */
    public Optional<Check> awaitCheck(Duration timeout, String password) {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[2048];
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return Optional.empty();
                }
                socket.setSoTimeout((int) Math.max(1, left));
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    return Optional.empty();
                }
                Optional<Check> check = parse(Arrays.copyOf(buffer, packet.getLength()),
                        (InetSocketAddress) packet.getSocketAddress(), password);
                if (check.isPresent()) {
                    return check;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("probe socket failed", e);
        }
    }

    private static Optional<Check> parse(byte[] message, InetSocketAddress from, String password) {
        if (message.length < 20) {
            return Optional.empty();
        }
        ByteBuffer header = ByteBuffer.wrap(message);
        int type = header.getShort(0) & 0xffff;
        int length = header.getShort(2) & 0xffff;
        if (type != BINDING_REQUEST || header.getInt(4) != MAGIC_COOKIE || 20 + length != message.length) {
            return Optional.empty();
        }
        String username = null;
        boolean integrity = false;
        int offset = 20;
        while (offset + 4 <= message.length) {
            int attribute = header.getShort(offset) & 0xffff;
            int size = header.getShort(offset + 2) & 0xffff;
            if (offset + 4 + size > message.length) {
                return Optional.empty();
            }
            if (attribute == USERNAME) {
                username = new String(message, offset + 4, size, StandardCharsets.UTF_8);
            } else if (attribute == MESSAGE_INTEGRITY && size == 20) {
                integrity = integrityValid(message, offset, password);
            }
            offset += 4 + ((size + 3) & ~3);
        }
        return Optional.of(new Check(from, username, integrity));
    }

    /** RFC 5389 15.4: HMAC-SHA1 over the message up to the attribute, the length field counting up to its end. */
    private static boolean integrityValid(byte[] message, int attributeOffset, String password) {
        byte[] signed = Arrays.copyOf(message, attributeOffset);
        int length = attributeOffset - 20 + 24;
        signed[2] = (byte) (length >> 8);
        signed[3] = (byte) length;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            byte[] expected = mac.doFinal(signed);
            return MessageDigest.isEqual(expected,
                    Arrays.copyOfRange(message, attributeOffset + 4, attributeOffset + 24));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
