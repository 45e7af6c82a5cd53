package io.sipgw.config;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SIP settings an admin stored (PUT /config/sip): one row. A null field means "not set", so the
 * gateway's configured default applies. Owns the rules of what a valid setting is.
 */
@Entity
@Table(name = "SIPGW_SIP_SETTINGS")
public class SipSettings {

    static final int THE_ROW = 1;
    public static final Set<String> TRANSPORTS = Set.of("UDP", "TCP", "TLS");
    public static final int MIN_EXPIRES = 60;
    public static final int MAX_EXPIRES = 86_400;
    static final int MAX_ADDRESS = 255;

    private static final String HOST = "(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*)";
    private static final Pattern HOST_PORT = Pattern.compile("^" + HOST + ":(\\d{1,5})$");
    private static final Pattern STUN = Pattern.compile("^(?:stuns?:)?" + HOST + ":(\\d{1,5})$");
    private static final Pattern TURN = Pattern.compile("^(?:turns?:)?" + HOST + ":(\\d{1,5})(?:\\?transport=(?:udp|tcp))?$");

    @Id
    private int id = THE_ROW;

    @Column(length = MAX_ADDRESS)
    private String sipServer;

    @Column(length = 8)
    private String transport;

    private Integer expires;

    @Column(length = MAX_ADDRESS)
    private String outboundProxy;

    @Column(length = MAX_ADDRESS)
    private String stunServer;

    @Column(length = MAX_ADDRESS)
    private String turnServer;

    private Instant updatedAt;

    @Version
    private long version;

    protected SipSettings() {
    }

    static SipSettings empty() {
        return new SipSettings();
    }

    /**
     * Applies a change: a null argument leaves that setting as it is, an empty string unsets it (back to the
     * default). Every invalid field is reported at once.
     *
     * @throws ApiException VALIDATION_ERROR with one detail per invalid field; nothing is changed then
     */
    public void update(String sipServer, String transport, Integer expires, String outboundProxy, String stunServer,
                       String turnServer, Instant at) {
        Map<String, String> problems = new LinkedHashMap<>();
        check("sipServer", sipServer, HOST_PORT, "host:port with a port from 1 to 65535", problems);
        check("outboundProxy", outboundProxy, HOST_PORT, "host:port with a port from 1 to 65535", problems);
        check("stunServer", stunServer, STUN, "host:port or stun:host:port with a port from 1 to 65535", problems);
        check("turnServer", turnServer, TURN, "host:port or turn:host:port with a port from 1 to 65535", problems);
        String normalisedTransport = transport == null || transport.isBlank() ? transport : transport.trim().toUpperCase(Locale.ROOT);
        if (normalisedTransport != null && !normalisedTransport.isEmpty() && !TRANSPORTS.contains(normalisedTransport)) {
            problems.put("transport", "must be UDP, TCP or TLS");
        }
        if (expires != null && (expires < MIN_EXPIRES || expires > MAX_EXPIRES)) {
            problems.put("expires", "must be from " + MIN_EXPIRES + " to " + MAX_EXPIRES + " seconds");
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.SIP_CONFIG_INVALID.text(), problems);
        }
        this.sipServer = next(this.sipServer, sipServer);
        this.transport = next(this.transport, normalisedTransport);
        this.expires = expires == null ? this.expires : expires;
        this.outboundProxy = next(this.outboundProxy, outboundProxy);
        this.stunServer = next(this.stunServer, stunServer);
        this.turnServer = next(this.turnServer, turnServer);
        this.updatedAt = at;
    }

    private static void check(String field, String value, Pattern pattern, String expected, Map<String, String> problems) {
        if (value == null || value.isBlank()) {
            return;
        }
        String trimmed = value.trim();
        Matcher m = pattern.matcher(trimmed);
        if (trimmed.length() > MAX_ADDRESS || !m.matches()) {
            problems.put(field, "must be " + expected);
            return;
        }
        int port = Integer.parseInt(m.group(1));
        if (port < 1 || port > 65535) {
            problems.put(field, "must be " + expected);
        }
    }

    private static String next(String current, String requested) {
        if (requested == null) {
            return current;
        }
        return requested.isBlank() ? null : requested.trim();
    }

    public String sipServer() {
        return sipServer;
    }

    public String transport() {
        return transport;
    }

    public Integer expires() {
        return expires;
    }

    public String outboundProxy() {
        return outboundProxy;
    }

    public String stunServer() {
        return stunServer;
    }

    public String turnServer() {
        return turnServer;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
