package io.sipgw.auth;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Sticky routing behind a load balancer (README "Load balancer (nginx)"): a member of a cluster with a
 * route name ({@code sipgw.cluster.route}) tells the load balancer, with the cookie {@value #NAME}, which
 * member holds the caller's session, since only that member acts on SIP for the user. The cookie is set
 * on a successful login, and on any later answer of the member that holds the caller's session (its own,
 * or one it took over from a member that died) while the request's cookie names another member or none;
 * so after a failover the client's next answer moves its requests to the survivor for good, also once the
 * dead member is back. The cookie carries no secret: a client that changes it only sends its own requests
 * to a member that refuses to act on SIP for it. Nothing in the JSON body changes. With the setting empty
 * (the default) no cookie is set.
 */
@Provider
public class MemberCookie implements ContainerResponseFilter {

    /** The cookie's name, which the load balancer's configuration reads ({@code $cookie_SIPGW_MEMBER} in nginx). */
    public static final String NAME = "SIPGW_MEMBER";
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9_-]{1,32}");

    /** Optional: MicroProfile Config takes an empty value for no value, and the default is empty. */
    @Inject
    @ConfigProperty(name = "sipgw.cluster.route")
    Optional<String> configured;

    private String route = "";

    @Inject
    LiveSessions sessions;

    @Inject
    JsonWebToken caller;

    @Context
    ResourceInfo resourceInfo;

    @PostConstruct
    void check() {
        route = configured.map(String::trim).orElse("");
        if (!route.isEmpty() && !ROUTE.matcher(route).matches()) {
            throw new IllegalStateException("sipgw.cluster.route must be 1 to 32 letters, digits, '-' or '_', not '"
                    + route + "'");
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (route.isEmpty() || response.getStatus() != 200) {
            return;
        }
        Cookie sent = request.getCookies().get(NAME);
        if (sent != null && route.equals(sent.getValue())) {
            return;
        }
        if (isLogin() || (caller.getName() != null && caller.getTokenID() != null
                && sessions.holds(caller.getName(), caller.getTokenID()))) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, NAME + "=" + route + "; Path=/; HttpOnly; SameSite=Strict");
        }
    }

    private boolean isLogin() {
        return resourceInfo.getResourceClass() == AuthResource.class && resourceInfo.getResourceMethod() != null
                && resourceInfo.getResourceMethod().getName().equals("login")
                && resourceInfo.getResourceMethod().isAnnotationPresent(POST.class);
    }
}
