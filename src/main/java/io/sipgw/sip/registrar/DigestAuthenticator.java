package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import java.text.ParseException;
import java.util.Iterator;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;

/**
 * Challenges and checks digest credentials (RFC 3261 section 22, RFC 2617) for one realm, the domain.
 * The challenge offers {@code qop="auth"}, algorithm MD5; an answer without qop (RFC 2069 form) is
 * accepted too.
 */
final class DigestAuthenticator {

    /** The outcome of checking a request's credentials. */
    enum Verdict {
        /** Right credentials for the account, fresh nonce. */
        AUTHORIZED,
        /** No credentials for this realm, or a nonce this server did not issue: challenge. */
        CHALLENGE,
        /** A nonce this server issued that has expired or a nonce count already used: challenge, stale=true. */
        STALE,
        /** Another user's name or a wrong password: 403. */
        FORBIDDEN,
        /** Credentials that cannot be checked (digest URI not the Request-URI, unsupported qop or algorithm). */
        MALFORMED
    }

    private final String realm;
    private final Nonces nonces;
    private final SipFactories sip;

    DigestAuthenticator(String realm, Nonces nonces, SipFactories sip) {
        this.realm = realm;
        this.nonces = nonces;
        this.sip = sip;
    }

    WWWAuthenticateHeader challenge(boolean stale) throws ParseException {
        WWWAuthenticateHeader challenge = sip.headers().createWWWAuthenticateHeader("Digest");
        challenge.setRealm(realm);
        challenge.setNonce(nonces.issue());
        challenge.setAlgorithm("MD5");
        challenge.setQop("auth");
        if (stale) {
            challenge.setStale(true);
        }
        return challenge;
    }

    /** Checks the request's credentials for this realm against {@code account}. */
    Verdict verify(Request request, Account account) {
        AuthorizationHeader credentials = credentialsForRealm(request);
        if (credentials == null) {
            return Verdict.CHALLENGE;
        }
        String nonce = credentials.getNonce();
        Nonces.Freshness freshness = nonce == null ? Nonces.Freshness.FOREIGN : nonces.check(nonce);
        if (freshness == Nonces.Freshness.FOREIGN) {
            return Verdict.CHALLENGE;
        }
        if (!account.user().equals(credentials.getUsername())) {
            return Verdict.FORBIDDEN;
        }
        String digestUri = credentials.getParameter("uri");
        String algorithm = credentials.getAlgorithm();
        String qop = credentials.getQop();
        String nc = credentials.getParameter("nc");
        String cnonce = credentials.getCNonce();
        boolean withQop = qop != null && !qop.isEmpty();
        if (digestUri == null || !sameUri(digestUri, request)
                || (algorithm != null && !algorithm.equalsIgnoreCase("MD5"))
                || (withQop && (!qop.equalsIgnoreCase("auth") || cnonce == null || !isNonceCount(nc)))) {
            return Verdict.MALFORMED;
        }
        String expected = Digest.response(account.ha1(), request.getMethod(), digestUri, nonce, nc, cnonce, qop);
        if (!Digest.matches(expected, credentials.getResponse())) {
            return Verdict.FORBIDDEN;
        }
        if (freshness == Nonces.Freshness.STALE) {
            return Verdict.STALE;
        }
        if (withQop && !nonces.acceptCount(nonce, Long.parseLong(nc, 16))) {
            return Verdict.STALE;
        }
        return Verdict.AUTHORIZED;
    }

    private AuthorizationHeader credentialsForRealm(Request request) {
        for (Iterator<?> it = request.getHeaders(AuthorizationHeader.NAME); it.hasNext(); ) {
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
