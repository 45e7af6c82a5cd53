package io.sipgw.sip.registrar;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends hand-written SIP requests to a server on 127.0.0.1 over UDP or TCP and reads the first final
 * response, for tests that need what a well-behaved stack would never send (forged From, SIP/7.0,
 * oversized values). It sends from 127.0.0.1, or from another loopback address (127.0.0.2: a stranger on
 * the same machine). {@code $LOCAL} in a request is replaced with this sender's address and port.
 */
public final class RawSip implements AutoCloseable {

    public enum Transport { UDP, TCP }

    private static final int TIMEOUT_MILLIS = 5_000;
    private static final Pattern STATUS_LINE = Pattern.compile("^SIP/2\\.0 (\\d{3}) ");
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)\\s*$");

    private final Transport transport;
    private final int serverPort;
    private final DatagramSocket udp;
    private final Socket tcp;
    private final InetAddress local;

    public RawSip(Transport transport, int serverPort) {
        this(transport, serverPort, InetAddress.getLoopbackAddress());
    }

    /** Sends from {@code local} (a loopback address such as 127.0.0.2) to 127.0.0.1:{@code serverPort}. */
    public RawSip(Transport transport, int serverPort, InetAddress local) {
        this.transport = transport;
        this.serverPort = serverPort;
        this.local = local;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try {
            if (transport == Transport.UDP) {
                udp = new DatagramSocket(new InetSocketAddress(local, 0));
                udp.setSoTimeout(TIMEOUT_MILLIS);
                tcp = null;
            } else {
                udp = null;
                tcp = new Socket(loopback, serverPort, local, 0);
                tcp.setSoTimeout(TIMEOUT_MILLIS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    /** {@code UDP} or {@code TCP}, as in a Via. */
    public String via() {
        return transport.name();
    }

    /** A fresh branch, tag or Call-ID. */
    public static String unique() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /**
     * Sends {@code request} (lines separated by \n, converted to CRLF; Content-Length is computed unless
     * present) and returns the first final response (200 or more).
     */
    public String exchange(String request) {
        send(request);
        return awaitFinal();
    }

    public void send(String request) {
        String text = request.replace("$LOCAL", local.getHostAddress() + ":" + localPort());
        int split = text.indexOf("\n\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 2);
        if (!CONTENT_LENGTH.matcher(head).find()) {
            head = head + "\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length;
        }
        byte[] bytes = (head.replace("\n", "\r\n") + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
        try {
            if (udp != null) {
                udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), serverPort));
            } else {
                OutputStream out = tcp.getOutputStream();
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next response with a final status (100 Trying and other provisionals are skipped). */
    public String awaitFinal() {
        while (true) {
            String response = receive();
            if (status(response) >= 200) {
                return response;
            }
        }
    }

    /** The next message received, or an AssertionError after the timeout. */
    public String receive() {
        try {
            if (udp != null) {
                DatagramPacket packet = new DatagramPacket(new byte[65_535], 65_535);
                udp.receive(packet);
                return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            }
            return readTcpMessage(tcp.getInputStream());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no SIP response over " + transport + " within " + TIMEOUT_MILLIS + " ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readTcpMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the server closed the TCP connection");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String headText = head.toString(StandardCharsets.UTF_8);
        Matcher length = CONTENT_LENGTH.matcher(headText);
        int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return headText + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
    }

    public static int status(String response) {
        Matcher m = STATUS_LINE.matcher(response);
        if (!m.find()) {
            throw new AssertionError("not a SIP response: " + response);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The value of the first header named {@code name} (case-insensitive), or null. */
    public static String header(String message, String name) {
        for (String line : message.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** A quoted or bare parameter of a Digest challenge, e.g. {@code nonce}. */
    public static String digestParameter(String challenge, String name) {
        Matcher m = Pattern.compile("(?i)[ ,]" + name + "=(?:\"([^\"]*)\"|([^,\\s]+))").matcher(" " + challenge);
        return m.find() ? (m.group(1) != null ? m.group(1) : m.group(2)) : null;
    }

    @Override
    public void close() {
        try {
            if (udp != null) {
                udp.close();
            } else {
                tcp.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
