package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.sipgw.sip.Digest;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ProxyAuthenticateHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * Digest answers to the server's 401 and 407 challenges, built by hand so tests can also build the wrong
 * ones (another nonce count, no qop).
 */
final class Credentials {

    private Credentials() {
    }

    /**
     * {@code request} with a Proxy-Authorization answering {@code challenge} (a 407) with nonce count
     * {@code nc}, and its CSeq one higher (RFC 3261 section 22.2: the retry is a new transaction).
     */
    static Request withProxyCredentials(SipFactories sip, Request request, Response challenge, String user,
            String password, int nc) throws Exception {
        ProxyAuthenticateHeader www = (ProxyAuthenticateHeader) challenge.getHeader(ProxyAuthenticateHeader.NAME);
        assertNotNull(www, "407 carries Proxy-Authenticate");
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        cseq.setSeqNumber(cseq.getSeqNumber() + 1);
        request.setHeader(answer(sip.headers().createProxyAuthorizationHeader("Digest"), request, www, user,
                password, nc, true));
        return request;
    }

    /** The digest answer to {@code challenge} for {@code request}, with qop=auth or in the RFC 2069 form. */
    static AuthorizationHeader answer(AuthorizationHeader auth, Request request, WWWAuthenticateHeader challenge,
            String user, String password, int nc, boolean withQop) throws Exception {
        String uri = request.getRequestURI().toString();
        String ha1 = Digest.ha1(user, challenge.getRealm(), password);
        auth.setUsername(user);
        auth.setRealm(challenge.getRealm());
        auth.setNonce(challenge.getNonce());
        auth.setURI(request.getRequestURI());
        auth.setAlgorithm("MD5");
        if (withQop) {
            String cnonce = Digest.newCnonce();
            String ncText = String.format("%08x", nc);
            auth.setQop("auth");
            auth.setCNonce(cnonce);
            auth.setNonceCount(nc);
            auth.setResponse(Digest.response(ha1, request.getMethod(), uri, challenge.getNonce(), ncText, cnonce,
                    "auth"));
        } else {
            auth.setResponse(Digest.response(ha1, request.getMethod(), uri, challenge.getNonce(), null, null, null));
        }
        return auth;
    }
}
