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
        if (!"Digest".equalsIgnoreCase(header.getScheme())) {
            throw new IllegalStateException("unsupported authentication challenge " + header.getScheme());
        }
        String algorithm = header.getAlgorithm();
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            throw new IllegalStateException("unsupported digest algorithm " + algorithm);
        }
        String qop = chooseQop(header.getQop());
        String cnonce = randomToken();
        String nc = "00000001";
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
                auth.setNonceCount(1);
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
     * challenge; empty when there is nothing sensible to answer with (another realm than the
     * registration's, a second challenge that is not stale, or not MD5 digest).
     */
    public Optional<Request> retry(HeaderFactory headers, Registration registration, Request challenged) {
        boolean alreadyAnswered = challenged.getHeader(AuthorizationHeader.NAME) != null
                || challenged.getHeader(ProxyAuthorizationHeader.NAME) != null;
        if (alreadyAnswered && !isStale()) {
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
            retry.addHeader(answer(headers, registration.aor().user(), ha1, retry));
        } catch (javax.sip.InvalidArgumentException | IllegalStateException e) {
            return Optional.empty();
        }
        return Optional.of(retry);
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
