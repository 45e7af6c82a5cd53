package io.sipgw.auth;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The verified token of the current request, set by {@link TokenFilter}, and the producer of the
 * {@code @Inject JsonWebToken} the resources use (MicroProfile JWT's own producer exists only with its
 * {@code @LoginConfig} mechanism, which the gateway does not use). A request without a verified token
 * sees an empty token (no name, no claims).
 */
@RequestScoped
public class CurrentCaller {

    private CallerToken token = CallerToken.NONE;

    void set(CallerToken token) {
        this.token = token;
    }

    @Produces
    @RequestScoped
    JsonWebToken token() {
        return token;
    }
}
