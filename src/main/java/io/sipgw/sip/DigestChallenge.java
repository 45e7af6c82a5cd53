package io.sipgw.sip;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.header.ViaHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * A 401 or 407 digest challenge (RFC 3261 22.2, RFC 2617 with qop=auth and MD5) and its answer with a
 * registered user's HA1. One class for REGISTER and for the requests a SIP server challenges after it
 * (MESSAGE, INVITE).
 */
public final class DigestChallenge {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WWWAuthenticateHeader header;
    private final boolean proxy;
    private final int status;

    private DigestChallenge(WWWAuthenticateHeader header, boolean proxy, int status) {
        this.header = header;
        this.proxy = proxy;
        this.status = status;
    }

    /** The challenge in a 401/407 response, or empty for any other response. */
    public static Optional<DigestChallenge> of(Response response) {
        int status = response.getStatusCode();
        if (status != Response.UNAUTHORIZED && status != Response.PROXY_AUTHENTICATION_REQUIRED) {
            return Optional.empty();
        }
        WWWAuthenticateHeader www = (WWWAuthenticateHeader) response.getHeader(WWWAuthenticateHeader.NAME);
        if (www != null) {
            return Optional.of(new DigestChallenge(www, false, status));
        }
        ProxyAuthenticateHeader proxy = (ProxyAuthenticateHeader) response.getHeader(ProxyAuthenticateHeader.NAME);
        return proxy == null ? Optional.empty() : Optional.of(new DigestChallenge(proxy, true, status));
    }

    public int status() {
        return status;
    }

    public String realm() {
        return header.getRealm();
    }

    /** The server says the nonce expired, not that the credentials are wrong. */
    public boolean isStale() {
        return "true".equalsIgnoreCase(header.getParameter("stale"));
    }

    /**
     * The credentials for {@code request} (which must already carry its final Request-URI and method).
     *
     * @throws IllegalStateException when the challenge is not MD5 digest (the message says why)
     */
    public AuthorizationHeader answer(HeaderFactory headers, String user, String ha1, Request request) {
        return answer(headers, user, ha1, request, 1);
    }

    /**
     * As {@link #answer(HeaderFactory, String, String, Request)} with nonce count {@code nonceCount}: the
     * n-th request answered with this challenge's nonce (RFC 2617 3.2.2, RFC 7616 3.4). A fresh cnonce
     * every time.
     */
    AuthorizationHeader answer(HeaderFactory headers, String user, String ha1, Request request, long nonceCount) {
        if (!"Digest".equalsIgnoreCase(header.getScheme())) {
            throw new IllegalStateException("unsupported authentication challenge " + header.getScheme());
        }
        String algorithm = header.getAlgorithm();
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            throw new IllegalStateException("unsupported digest algorithm " + algorithm);
        }
        String qop = chooseQop(header.getQop());
        String cnonce = randomToken();
        String nc = String.format("%08x", nonceCount);
        String response = Digest.response(ha1, request.getMethod(), request.getRequestURI().toString(), header.getNonce(),
                nc, cnonce, qop);
        try {
            AuthorizationHeader auth = proxy
                    ? headers.createProxyAuthorizationHeader("Digest")
                    : headers.createAuthorizationHeader("Digest");
            auth.setUsername(user);
            auth.setRealm(header.getRealm());
            auth.setNonce(header.getNonce());
            auth.setURI(request.getRequestURI());
            auth.setResponse(response);
            auth.setAlgorithm("MD5");
            if (header.getOpaque() != null) {
                auth.setOpaque(header.getOpaque());
            }
            if (qop != null) {
                auth.setQop(qop);
                auth.setCNonce(cnonce);
                auth.setNonceCount((int) nonceCount);
            }
            return auth;
        } catch (java.text.ParseException e) {
            throw new IllegalStateException("cannot build the " + (proxy ? "Proxy-Authorization" : "Authorization")
                    + " header: " + e.getMessage(), e);
        }
    }

    /**
     * The challenged out-of-dialog request sent again with credentials: the same Call-ID, From tag and
     * body, the next CSeq, no Via (the sender adds a fresh one with a new branch) and the answer to this
     * challenge, which the registration then remembers for its next requests ({@link #reuseLast}); empty
     * when there is nothing sensible to answer with (another realm than the registration's, a challenge
     * to credentials that answered a challenge of their own and is not stale, or not MD5 digest). A
     * request that carried a reused nonce is answered once more whatever the challenge says: the server
     * may have forgotten the nonce or seen its count out of order.
     */
    public Optional<Request> retry(HeaderFactory headers, Registration registration, Request challenged) {
        AuthorizationHeader sent = credentialsOf(challenged);
        boolean reusedNonce = sent != null && sent.getNonceCount() > 1;
        if (sent != null && !reusedNonce && !isStale()) {
            return Optional.empty(); // the credentials were refused
        }
        String ha1 = registration.ha1For(realm());
        if (ha1 == null) {
            return Optional.empty();
        }
        Request retry = (Request) challenged.clone();
        retry.removeHeader(ViaHeader.NAME);
        retry.removeHeader(AuthorizationHeader.NAME);
        retry.removeHeader(ProxyAuthorizationHeader.NAME);
        try {
            CSeqHeader cseq = (CSeqHeader) retry.getHeader(CSeqHeader.NAME);
            cseq.setSeqNumber(cseq.getSeqNumber() + 1);
            retry.addHeader(answer(headers, registration.aor().user(), ha1, retry, 1));
        } catch (javax.sip.InvalidArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
        if (chooseQop(header.getQop()) != null) {
            registration.challengeAnswered(this);
        }
        return Optional.of(retry);
    }

    /**
     * Adds credentials to a new out-of-dialog request of the registered user that answer the last
     * challenge one of their requests answered, with the next nonce count and a fresh cnonce, so the SIP
     * server does not challenge every MESSAGE and INVITE (RFC 2617 3.2.2, RFC 7616 3.4). Only challenges
     * with {@code qop=auth} are reused (without a nonce count the server could not tell a replay). False
     * when there is nothing to reuse; the request then goes out without credentials, as the first did.
     */
    public static boolean reuseLast(HeaderFactory headers, Registration registration, Request request) {
        Registration.AnsweredChallenge last = registration.lastChallenge();
        if (last == null || credentialsOf(request) != null) {
            return false;
        }
        String ha1 = registration.ha1For(last.challenge().realm());
        if (ha1 == null) {
            return false;
        }
        try {
            request.addHeader(last.challenge().answer(headers, registration.aor().user(), ha1, request, last.nextCount()));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static AuthorizationHeader credentialsOf(Request request) {
        AuthorizationHeader www = (AuthorizationHeader) request.getHeader(AuthorizationHeader.NAME);
        return www != null ? www : (AuthorizationHeader) request.getHeader(ProxyAuthorizationHeader.NAME);
    }

    private static String chooseQop(String offered) {
        if (offered == null) {
            return null;
        }
        for (String option : offered.split(",")) {
            if (option.trim().equalsIgnoreCase("auth")) {
                return "auth";
            }
        }
        return null;
    }

    private static String randomToken() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
