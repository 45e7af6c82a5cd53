package io.sipgw.sip.registrar;

import io.sipgw.sip.Digest;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;

/**
 * Digest answers to the server's 401 and 407 challenges, built by hand so tests can also build those a
 * well-behaved phone would not send (the RFC 2069 form without qop, any nonce count).
 */
final class Credentials {

    private Credentials() {
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
