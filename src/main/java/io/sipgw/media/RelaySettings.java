package io.sipgw.media;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/** The media relay settings, checked: which relay, and for rtpengine its ng address, timeout and retries. */
public record RelaySettings(Kind kind, InetSocketAddress ng, Duration timeout, int retries) {

    /** Which media relay the gateway uses. */
    public enum Kind {
        /** None: media flows between the parties (browser to browser, phone to phone). */
        NONE,
        /** rtpengine over its ng control protocol. */
        RTPENGINE
    }

    /** Longest timeout per attempt accepted, in milliseconds. */
    public static final long MAX_TIMEOUT_MS = 60_000;
    /** Most retries accepted. */
    public static final int MAX_RETRIES = 10;

    /**
     * The settings from their configured texts; an {@link IllegalArgumentException} naming the setting
     * for a bad one. The ng address is checked only when the relay is rtpengine.
     */
    public static RelaySettings of(String relay, String ng, long timeoutMs, int retries) {
        Kind kind = switch (relay == null ? "" : relay.trim().toLowerCase(Locale.ROOT)) {
            case "", "none" -> Kind.NONE;
            case "rtpengine" -> Kind.RTPENGINE;
            default -> throw new IllegalArgumentException(
                    "sipgw.media.relay must be none or rtpengine, not '" + relay + "'");
        };
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException(
                    "sipgw.media.rtpengine.timeout-ms must be 1.." + MAX_TIMEOUT_MS + ", not " + timeoutMs);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException(
                    "sipgw.media.rtpengine.retries must be 0.." + MAX_RETRIES + ", not " + retries);
        }
        InetSocketAddress address = kind == Kind.RTPENGINE ? address(ng) : null;
        return new RelaySettings(kind, address, Duration.ofMillis(timeoutMs), retries);
    }

    /** {@code host:port} or {@code [ipv6]:port}, resolved. */
    static InetSocketAddress address(String hostPort) {
        String text = hostPort == null ? "" : hostPort.trim();
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = ""; // an IPv6 address without brackets: the port is ambiguous
        }
        int port = -1;
        try {
            port = colon > 0 ? Integer.parseInt(text.substring(colon + 1)) : -1;
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new IllegalArgumentException(
                    "sipgw.media.rtpengine.ng must be host:port (e.g. 127.0.0.1:22222), not '" + hostPort + "'");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("sipgw.media.rtpengine.ng: host '" + host + "' does not resolve");
        }
        return address;
    }
}
