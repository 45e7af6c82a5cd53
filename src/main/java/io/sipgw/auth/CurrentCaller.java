package io.sipgw.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The producer of the {@code @Inject JsonWebToken} the resources use (MicroProfile JWT's own producer
 * exists only with its {@code @LoginConfig} mechanism, which the gateway does not use): the token that
 * {@link TokenFilter} verified and left in the request property {@value #PROPERTY} (a servlet request
 * attribute, which no client can set). A request without a verified token sees an empty token (no name, no
 * claims). The token is handed over in the request rather than through a request-scoped bean of its own,
 * whose creation on every request cost about 4 % of an authenticated request (issue 15's profile).
 */
@ApplicationScoped
public class CurrentCaller {

    /** Where {@link TokenFilter} leaves the verified {@link CallerToken}. */
    static final String PROPERTY = "io.sipgw.auth.caller";

    @Inject
    HttpServletRequest request;

    @Produces
    @RequestScoped
    JsonWebToken token() {
        return request.getAttribute(PROPERTY) instanceof CallerToken verified ? verified : CallerToken.NONE;
    }
}
