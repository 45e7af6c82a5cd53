package io.sipgw.auth;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.cluster.Cluster;
import io.sipgw.jpa.ConflictRetry;
import io.sipgw.sip.BindFailedException;
import io.sipgw.sip.LocalEndpoint;
import io.sipgw.sip.Registration;
import io.sipgw.sip.RegistrationFailedException;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.sip.Registrations;
import io.sipgw.sip.SipUri;
import io.sipgw.sip.SipUserAgent;
import io.sipgw.users.User;
import io.sipgw.users.UserDirectory;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Login is a SIP registration: a token is handed out only after the user's SIP server accepted the
 * REGISTER with the user's credentials. Logout gives the token up and, with the user's last token,
 * ends the registration.
 */
@ApplicationScoped
public class Logins {

    private static final Logger LOG = Logger.getLogger(Logins.class.getName());
    private static final Pattern IPV4 = Pattern.compile("^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)$");
    static final int MAX_PASSWORD = 256;
    /** The cluster topic of logouts whose session another member holds: {@code [userId, jti]}. */
    static final String LOGOUTS = "sipgw.logouts";

    private final UserLocks userLocks = new UserLocks();

    @Inject
    SipUserAgent agent;

    @Inject
    Registrations registrations;

    @Inject
    RegistrationTable registrationTable;

    @Inject
    TokenIssuer issuer;

    @Inject
    TokenRevocations revocations;

    @Inject
    LiveSessions sessions;

    @Inject
    UserDirectory directory;

    @Inject
    LoginThrottle throttle;

    @Inject
    RegistrationTakeover takeover;

    @Inject
    Cluster cluster;

    @Resource
    ManagedExecutorService executor;

    @Inject
    Event<LoggedIn> loggedIn;

    @Inject
    Event<LoggedOut> loggedOut;

    /**
     * Registers the user and issues a token.
     *
     * @param clientAddress the HTTP client's address, for the login throttle
     */
    public LoginResponse login(LoginRequest request, String clientAddress) {
        if (request == null) {
            throw ApiException.invalid("body", "a JSON object with sipUri and password is required");
        }
        SipUri aor = parseSipUri(request.sipUri());
        validatePassword(request.password());
        String userId = aor.userId();
        LocalAddress address = localAddress(request);
        return userLocks.with(userId, () -> {
            throttle.checkNotLocked(userId, clientAddress); // in turn: concurrent guesses see each other's failures
            return register(request, aor, address, clientAddress);
        });
    }

    /** The login's registration, session and presence, while no other login or logout of the user runs. */
    private LoginResponse register(LoginRequest request, SipUri aor, LocalAddress address, String clientAddress) {
        String userId = aor.userId();
        IssuedToken token = issuer.issue(userId);
        LocalEndpoint local = registrationTable.find(userId).filter(r -> r.aor().equals(aor)).isPresent()
                ? null : endpointFor(address);
        Registration registration;
        try {
            registration = registrations.register(aor, request.password(), local, token.expiresAt());
        } catch (RegistrationFailedException e) {
            agent.release(local); // no listening point stays open for a login that did not register
            LOG.info(() -> "Login of " + userId + " failed: " + e.getMessage());
            if (e.failure() == RegistrationFailedException.Cause.CREDENTIALS_REJECTED
                    || e.failure() == RegistrationFailedException.Cause.UNKNOWN_USER) {
                throttle.failed(userId, clientAddress);
            }
            throw loginFailure(e);
        } catch (RuntimeException e) {
            agent.release(local);
            throw e;
        }
        throttle.succeeded(userId);
        sessions.add(userId, token.jti(), token.expiresAt());
        takeover.publish(userId);
        User user = ConflictRetry.retrying(() -> directory.loggedIn(userId, aor.toString(), aor.user()));
        loggedIn.fire(new LoggedIn(userId));
        LOG.info(() -> "User " + userId + " logged in via " + registration.localAddress());
        return new LoginResponse(token.token(), userId, user.displayName(), token.lifetimeSeconds(),
                new LoginResponse.SipConfig(true, registration.grantedExpires(), registration.localAddress()));
    }

    /**
     * Gives the token up; the user's last token also ends the registration and presence. In a cluster the
     * token's session may be held by another member (the one the user logged in through): this member
     * revokes the token (everywhere) and hands the rest to that member through the topic {@value #LOGOUTS}.
     */
    public void logout(String userId, String jti, Instant expiresAt) {
        boolean here = userLocks.with(userId, () -> {
            revocations.revoke(jti, userId, expiresAt);
            if (cluster.enabled() && !sessions.holds(userId, jti)) {
                return false;
            }
            endSession(userId, jti);
            return true;
        });
        if (!here) {
            cluster.publish(LOGOUTS, userId, jti);
        }
        LOG.info(() -> "User " + userId + " logged out");
    }

    /** The session of the token ends here: registration, calls and presence with the user's last one. */
    private void endSession(String userId, String jti) {
        boolean last = sessions.end(userId, jti);
        loggedOut.fire(new LoggedOut(userId, jti, last));
        if (last) {
            registrations.unregister(userId);
            ConflictRetry.retrying(() -> directory.wentOffline(userId));
        }
        takeover.publish(userId);
    }

    /** In a cluster: logouts made through other members, of sessions this member may hold. */
    void listen(@Observes @Initialized(ApplicationScoped.class) Object started) {
        cluster.subscribe(LOGOUTS, message -> {
            String userId = message.get(0);
            String jti = message.get(1);
            if (sessions.holds(userId, jti)) {
                executor.submit(() -> userLocks.with(userId, () -> {
                    if (sessions.holds(userId, jti)) {
                        endSession(userId, jti);
                        LOG.info(() -> "User " + userId + " logged out through another member");
                    }
                    return null;
                }));
            }
        });
    }

    private static SipUri parseSipUri(String sipUri) {
        try {
            return SipUri.parse(sipUri);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.SIP_URI_MALFORMED.text(), Map.of("sipUri", e.getMessage()));
        }
    }

    private static void validatePassword(String password) {
        if (password == null || password.isEmpty()) {
            throw ApiException.invalid("password", "password is required");
        }
        if (password.length() > MAX_PASSWORD) {
            throw ApiException.invalid("password", "password is longer than " + MAX_PASSWORD + " characters");
        }
    }

    /** The login's local address, validated; null fields mean the default listening point's. */
    private record LocalAddress(String ip, Integer port) {
    }

    private static LocalAddress localAddress(LoginRequest request) {
        String ip = request.localIp() == null || request.localIp().isBlank() ? null : request.localIp().trim();
        Integer port = request.localPort();
        Map<String, String> problems = new LinkedHashMap<>();
        if (ip != null && !isIpLiteral(ip)) {
            problems.put("localIp", "must be an IPv4 or IPv6 address of this server");
        } else if (ip != null) {
            String problem = notAnAddressOfThisServer(ip);
            if (problem != null) {
                problems.put("localIp", problem);
            }
        }
        if (port != null && (port < 1 || port > 65535)) {
            problems.put("localPort", "must be 1-65535");
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.LOCAL_ADDRESS_INVALID.text(), problems);
        }
        return new LocalAddress(ip, port);
    }

    private LocalEndpoint endpointFor(LocalAddress local) {
        if (local.ip() == null && local.port() == null) {
            try {
                return agent.defaultEndpoint();
            } catch (BindFailedException e) {
                LOG.warning(e::getMessage);
                throw new ApiException(ErrorCode.SIP_ERROR, UserText.SIP_SERVICE_UNAVAILABLE.text());
            }
        }
        String[] defaultAddress = splitAddress(agent.defaultAddress());
        String host = local.ip() == null ? defaultAddress[0] : local.ip();
        int port = local.port() == null ? Integer.parseInt(defaultAddress[1]) : local.port();
        try {
            return agent.endpointFor(host, port);
        } catch (BindFailedException e) {
            LOG.info(e::getMessage);
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.LOCAL_ADDRESS_UNUSABLE.format(e.address()),
                    Map.of("localIp", "cannot listen on " + e.address() + " on this server"));
        }
    }

    private static String[] splitAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return new String[] {host, hostPort.substring(colon + 1)};
    }

    /**
     * Why an IP literal cannot be a login's local address, or null: a wildcard (0.0.0.0, ::) would listen
     * on every interface, and an address no interface of this machine has cannot be bound (nor should a
     * client make the gateway try).
     */
    private static String notAnAddressOfThisServer(String ip) {
        try {
            InetAddress address = InetAddress.getByName(ip); // an IP literal: no lookup
            if (address.isAnyLocalAddress()) {
                return "must be one address of this server, not a wildcard";
            }
            if (address.isMulticastAddress() || NetworkInterface.getByInetAddress(address) == null) {
                return "must be an address of this server";
            }
            return null;
        } catch (UnknownHostException | SocketException e) {
            return "must be an address of this server";
        }
    }

    private static boolean isIpLiteral(String ip) {
        if (IPV4.matcher(ip).matches()) {
            return true;
        }
        if (!ip.contains(":") || !ip.matches("[0-9A-Fa-f:.]+")) {
            return false;
        }
        try {
            InetAddress.getByName(ip); // an IPv6 literal: parsed without any lookup
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The answer to a failed registration. An unknown user (404) gets exactly the answer of a wrong
     * password, so the login tells nobody which users exist (both cost the same REGISTER round trips).
     */
    static ApiException loginFailure(RegistrationFailedException e) {
        return switch (e.failure()) {
            case CREDENTIALS_REJECTED, UNKNOWN_USER ->
                    new ApiException(ErrorCode.AUTH_FAILED, UserText.REGISTRATION_CREDENTIALS_REJECTED.text());
            case TIMEOUT -> new ApiException(ErrorCode.SIP_ERROR, UserText.REGISTRATION_SERVER_SILENT.text());
            case SIP_FAILURE -> e.statusCode() > 0
                    ? new ApiException(ErrorCode.SIP_ERROR, UserText.REGISTRATION_FAILED_BECAUSE.format(e.getMessage()),
                            Map.of("sipStatus", String.valueOf(e.statusCode())))
                    : new ApiException(ErrorCode.SIP_ERROR, UserText.REGISTRATION_FAILED.text());
        };
    }
}
