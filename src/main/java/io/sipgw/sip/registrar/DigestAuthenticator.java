package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import io.sipgw.throttle.FailureThrottle;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.Header;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Challenges and checks digest credentials (RFC 3261 section 22, RFC 2617) for one realm, the domain:
 * as a registrar (401, WWW-Authenticate / Authorization) or as a proxy (407, Proxy-Authenticate /
 * Proxy-Authorization).
 *
 * <p>What it accepts: algorithm MD5 with {@code qop=auth}, the digest URI equal to the Request-URI, a nonce
 * this server issued that has not expired, and a nonce count higher than any already used with that nonce
 * (so a captured request cannot be replayed). An answer without qop (the RFC 2069 form, replayable for the
 * nonce's lifetime since it has no nonce count) is not checked at all: it gets a fresh challenge, as any
 * request without usable credentials does, rather than a 400, so a client that can do qop=auth simply
 * answers again. A stale or already-counted nonce gets a challenge with {@code stale=true}.
 *
 * <p>What it reveals: nothing about which users exist. A user name without an account is checked against
 * a random HA1 and fails like a wrong password; failures of unknown names are throttled like those of
 * known ones ({@link FailureThrottle}), and while a name or address is locked its credentials are refused
 * without being checked.
 */
final class DigestAuthenticator {

    /** The outcome of checking a request's credentials. */
    enum Verdict {
        /** Right credentials for the account, fresh nonce, new nonce count. */
        AUTHORIZED,
        /** No usable credentials for this realm (none, no qop, or a nonce this server did not issue): challenge. */
        CHALLENGE,
        /** A nonce this server issued that has expired, or a nonce count already used: challenge, stale=true. */
        STALE,
        /** Another user's name, an unknown user, or a wrong password: 403. */
        FORBIDDEN,
        /** The user name or the source address is locked after too many failures: 403, nothing checked. */
        LOCKED,
        /**
         * Credentials that cannot be checked (digest URI not the Request-URI, unsupported qop or algorithm,
         * a user name longer than any account's).
         */
        MALFORMED
    }

    /** Which side of digest authentication the server plays for a request. */
    enum Role {
        /** REGISTER: 401 with WWW-Authenticate, answered in Authorization. */
        REGISTRAR(AuthorizationHeader.NAME, Response.UNAUTHORIZED),
        /** Any other request: 407 with Proxy-Authenticate, answered in Proxy-Authorization. */
        PROXY(ProxyAuthorizationHeader.NAME, Response.PROXY_AUTHENTICATION_REQUIRED);

        final String credentialsHeader;
        final int challengeStatus;

        Role(String credentialsHeader, int challengeStatus) {
            this.credentialsHeader = credentialsHeader;
            this.challengeStatus = challengeStatus;
        }
    }

    private final String realm;
    private final Map<String, Account> accountsByUser;
    private final Nonces nonces;
    private final FailureThrottle throttle;
    private final SipFactories sip;
    /** Checked against for user names without an account, so they cost what a real check costs. */
    private final String unknownUserHa1;

    DigestAuthenticator(String realm, Map<String, Account> accountsByUser, Nonces nonces, FailureThrottle throttle,
            SipFactories sip) {
        this.realm = realm;
        this.accountsByUser = accountsByUser;
        this.nonces = nonces;
        this.throttle = throttle;
        this.sip = sip;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.unknownUserHa1 = HexFormat.of().formatHex(random);
    }

    /** The 401 or 407 answer to {@code request} carrying a new challenge. */
    Response challenge(Request request, Role role, boolean stale) throws ParseException {
        Response response = sip.response(request, role.challengeStatus);
        WWWAuthenticateHeader challenge = role == Role.REGISTRAR
                ? sip.headers().createWWWAuthenticateHeader("Digest")
                : sip.headers().createProxyAuthenticateHeader("Digest");
        challenge.setRealm(realm);
        challenge.setNonce(nonces.issue());
        challenge.setAlgorithm("MD5");
        challenge.setQop("auth");
        if (stale) {
            challenge.setStale(true);
        }
        response.addHeader(challenge);
        return response;
    }

    /**
     * Checks the request's credentials for this realm.
     *
     * @param claimedUser the user the request speaks for (the To user of a REGISTER, the From user of
     *                    anything else); the credentials must be that user's, and may be of no account
     * @param source      the address the request came from, for the throttle
     */
    Verdict verify(Request request, Role role, String claimedUser, String source) {
        AuthorizationHeader credentials = credentialsForRealm(request, role);
        if (credentials == null) {
            return Verdict.CHALLENGE;
        }
        String qop = credentials.getQop();
        String username = credentials.getUsername();
        if (qop == null || qop.isEmpty() || username == null) {
            return Verdict.CHALLENGE;
        }
        if (username.length() > RequestLimits.MAX_USER) {
            return Verdict.MALFORMED; // no user has such a name, and the throttle keeps names as keys
        }
        if (throttle.isLocked(username, source)) {
            return Verdict.LOCKED;
        }
        String nonce = credentials.getNonce();
        Nonces.Freshness freshness = nonce == null ? Nonces.Freshness.FOREIGN : nonces.check(nonce);
        if (freshness == Nonces.Freshness.FOREIGN) {
            return Verdict.CHALLENGE;
        }
        String digestUri = credentials.getParameter("uri");
        String algorithm = credentials.getAlgorithm();
        String nc = credentials.getParameter("nc");
        String cnonce = credentials.getCNonce();
        if (digestUri == null || !sameUri(digestUri, request)
                || (algorithm != null && !algorithm.equalsIgnoreCase("MD5"))
                || !qop.equalsIgnoreCase("auth") || cnonce == null || !isNonceCount(nc)) {
            return Verdict.MALFORMED;
        }
        Account account = username.equals(claimedUser) ? accountsByUser.get(username) : null;
        String expected = Digest.response(account != null ? account.ha1() : unknownUserHa1, request.getMethod(),
                digestUri, nonce, nc, cnonce, qop);
        if (!Digest.matches(expected, credentials.getResponse()) || account == null) {
            throttle.failed(username, source);
            return Verdict.FORBIDDEN;
        }
        throttle.succeeded(username);
        if (freshness == Nonces.Freshness.STALE || !nonces.acceptCount(nonce, Long.parseLong(nc, 16))) {
            return Verdict.STALE;
        }
        return Verdict.AUTHORIZED;
    }

    /** Removes this realm's Proxy-Authorization from a request about to be forwarded (the next hop has no use for it). */
    void consumeCredentials(Request outgoing) {
        AuthorizationHeader ours = credentialsForRealm(outgoing, Role.PROXY);
        if (ours == null) {
            return;
        }
        List<Header> others = new ArrayList<>();
        for (Iterator<?> it = outgoing.getHeaders(ProxyAuthorizationHeader.NAME); it.hasNext(); ) {
            Header header = (Header) it.next();
            if (header != ours) {
                others.add(header);
            }
        }
        outgoing.removeHeader(ProxyAuthorizationHeader.NAME);
        others.forEach(outgoing::addHeader);
    }

    private AuthorizationHeader credentialsForRealm(Request request, Role role) {
        for (Iterator<?> it = request.getHeaders(role.credentialsHeader); it.hasNext(); ) {
            AuthorizationHeader header = (AuthorizationHeader) it.next();
            if ("Digest".equalsIgnoreCase(header.getScheme()) && realm.equals(header.getRealm())) {
                return header;
            }
        }
        return null;
    }

    /** The digest URI names the Request-URI (compared as SIP URIs, RFC 3261 section 19.1.4). */
    private boolean sameUri(String digestUri, Request request) {
        if (digestUri.equals(request.getRequestURI().toString())) {
            return true;
        }
        try {
            return sip.addresses().createURI(digestUri).equals(request.getRequestURI());
        } catch (ParseException e) {
            return false;
        }
    }

    private static boolean isNonceCount(String nc) {
        return nc != null && nc.matches("[0-9a-fA-F]{8}");
    }
}
