package io.sipgw.auth;

import io.sipgw.api.ApiException;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.Responses;
import io.sipgw.api.UserText;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Authentication and authorisation of the REST API, in place of the container's MicroProfile JWT
 * mechanism (which ran on every request, static files included, and verified every token's RSA signature
 * again). Only resource methods that need a caller pay anything: a method that is {@link PermitAll} (or in
 * a {@code @PermitAll} class without {@link RolesAllowed} of its own) is left alone; any other needs a
 * {@code Bearer} token that {@link TokenVerifier} accepts (INVALID_TOKEN or TOKEN_EXPIRED otherwise) and,
 * when {@link RolesAllowed} names roles, one of them among the token's {@code groups} (FORBIDDEN
 * otherwise). The verified token becomes the request's {@link SecurityContext} principal and the injected
 * {@code JsonWebToken}.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";
    /** What each resource method asks of its caller, worked out at its first request. */
    private final Map<Method, Access> access = new ConcurrentHashMap<>();

    @Context
    ResourceInfo resourceInfo;

    @Inject
    TokenVerifier verifier;


    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo.getResourceMethod();
        if (method == null) {
            return;
        }
        Access needed = access.computeIfAbsent(method, m -> Access.of(m, resourceInfo.getResourceClass()));
        if (needed.open()) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            request.abortWith(Responses.error(ErrorCode.INVALID_TOKEN, UserText.TOKEN_MISSING.text(), null));
            return;
        }
        CallerToken token;
        try {
            token = verifier.verify(authorization.substring(BEARER.length()));
        } catch (ApiException e) {
            request.abortWith(Responses.error(e.code(), e.getMessage(), null));
            return;
        }
        if (!needed.roles().isEmpty() && needed.roles().stream().noneMatch(token.groups()::contains)) {
            request.abortWith(Responses.error(ErrorCode.FORBIDDEN));
            return;
        }
        request.setProperty(CurrentCaller.PROPERTY, token);
        request.setSecurityContext(new TokenSecurityContext(token, request.getSecurityContext().isSecure()));
    }

    /** Whether a resource method is public, else the roles of which its caller needs one (none: any caller). */
    record Access(boolean open, Set<String> roles) {

        static Access of(Method method, Class<?> resource) {
            Class<?> annotated = resource;
            while (annotated != null && annotated != Object.class && !annotated.isAnnotationPresent(PermitAll.class)
                    && !annotated.isAnnotationPresent(RolesAllowed.class)) {
                annotated = annotated.getSuperclass(); // past a container's proxy subclass
            }
            annotated = annotated == null ? Object.class : annotated;
            RolesAllowed methodRoles = method.getAnnotation(RolesAllowed.class);
            if (method.isAnnotationPresent(PermitAll.class) || (methodRoles == null && annotated.isAnnotationPresent(PermitAll.class))) {
                return new Access(true, Set.of());
            }
            RolesAllowed roles = methodRoles != null ? methodRoles : annotated.getAnnotation(RolesAllowed.class);
            return new Access(false, roles == null ? Set.of() : Set.of(roles.value()));
        }
    }

    private record TokenSecurityContext(CallerToken token, boolean secure) implements SecurityContext {

        @Override
        public Principal getUserPrincipal() {
            return token;
        }

        @Override
        public boolean isUserInRole(String role) {
            return token.groups().contains(role);
        }

        @Override
        public boolean isSecure() {
            return secure;
        }

        @Override
        public String getAuthenticationScheme() {
            return "MP-JWT";
        }
    }
}
