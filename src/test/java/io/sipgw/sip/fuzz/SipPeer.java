package io.sipgw.sip.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends raw bytes, exactly as given, to a SIP port on 127.0.0.1 over UDP or TCP and reads what comes
 * back: the tool for messages no SIP stack would write (RFC 4475's torture set, fuzzer mutations). Over
 * TCP every exchange uses a new connection, so a message that breaks the framing cannot take the next one
 * with it. Nothing here ever addresses anything but loopback.
 */
public final class SipPeer implements AutoCloseable {

    public enum Transport { UDP, TCP }

    private static final Pattern STATUS_LINE = Pattern.compile("^SIP/2\\.0 (\\d{3}) ");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l)[ \\t]*:[ \\t]*(\\d+)[ \\t]*$");

    private final Transport transport;
    private final int serverPort;
    private final DatagramSocket udp;
    private Socket tcp;

    public SipPeer(Transport transport, int serverPort) {
        this.transport = transport;
        this.serverPort = serverPort;
        try {
            udp = transport == Transport.UDP
                    ? new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Over TCP, closes the previous connection and opens a new one (call it before {@link #sentBy()} for
     * the next message); over UDP nothing.
     */
    public SipPeer connect() {
        if (udp != null) {
            return this;
        }
        try {
            closeTcp();
            tcp = new Socket(InetAddress.getLoopbackAddress(), serverPort);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port} of this end (of the current connection over TCP), for a Via's sent-by. */
    public String sentBy() {
        if (udp == null && tcp == null) {
            connect();
        }
        return "127.0.0.1:" + (udp != null ? udp.getLocalPort() : tcp.getLocalPort());
    }

    /** {@code UDP} or {@code TCP}, as in a Via. */
    public String via() {
        return transport.name();
    }

    /** Sends {@code bytes} as one datagram, or on the current TCP connection (opened if there is none). */
    public void send(byte[] bytes) {
        try {
            if (udp != null) {
                udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), serverPort));
            } else {
                if (tcp == null) {
                    connect();
                }
                tcp.getOutputStream().write(bytes);
                tcp.getOutputStream().flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first final response (200 or more) within {@code timeout}, provisional ones skipped; empty when
     * none came (or the server closed the TCP connection without one).
     */
    public Optional<String> awaitFinal(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<String> message = receive((int) left);
            if (message.isEmpty()) {
                return Optional.empty();
            }
            Matcher status = STATUS_LINE.matcher(message.get());
            if (status.find() && Integer.parseInt(status.group(1)) >= 200) {
                return message;
            }
        }
    }

    /** The next message received within {@code timeout} (any status, or a request), or empty. */
    public Optional<String> awaitAny(Duration timeout) {
        return receive((int) Math.max(1, timeout.toMillis()));
    }

    private Optional<String> receive(int timeoutMillis) {
        try {
            if (udp != null) {
                udp.setSoTimeout(timeoutMillis);
                DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
                udp.receive(packet);
                return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
            }
            if (tcp == null) {
                return Optional.empty();
            }
            tcp.setSoTimeout(timeoutMillis);
            return readTcpMessage(tcp.getInputStream());
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // connection reset: the server gave up on this connection
        }
    }

    private static Optional<String> readTcpMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return Optional.empty();
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headText = head.toString(StandardCharsets.UTF_8);
        Matcher length = CONTENT_LENGTH.matcher(headText);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return Optional.of(headText + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8));
    }

    /** The status code of a response. */
    public static int status(String response) {
        Matcher m = STATUS_LINE.matcher(response);
        if (!m.find()) {
            throw new AssertionError("not a SIP response: " + response);
        }
        return Integer.parseInt(m.group(1));
    }

    private void closeTcp() throws IOException {
        if (tcp != null) {
            tcp.close();
            tcp = null;
        }
    }

    @Override
    public void close() {
        try {
            if (udp != null) {
                udp.close();
            }
            closeTcp();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
