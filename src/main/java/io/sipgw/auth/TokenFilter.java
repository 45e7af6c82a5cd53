package io.sipgw.auth;

import io.sipgw.api.ErrorCode;
import io.sipgw.api.Responses;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Every resource method that is not {@link PermitAll} needs a token: the container has already verified
 * signature, issuer and expiry of any token it was given; this filter answers a missing token and a
 * revoked (logged-out) one with INVALID_TOKEN before role checks run.
 */
@Provider
@Priority(Priorities.AUTHENTICATION + 1)
public class TokenFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resourceInfo;

    @Inject
    TokenRevocations revocations;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resourceInfo.getResourceMethod();
        if (method == null || method.isAnnotationPresent(PermitAll.class)) {
            return;
        }
        if (!(request.getSecurityContext().getUserPrincipal() instanceof JsonWebToken jwt)) {
            request.abortWith(Responses.error(ErrorCode.INVALID_TOKEN, "缺少 Token，请先登录", null));
            return;
        }
        if (revocations.isRevoked(jwt.getTokenID())) {
            request.abortWith(Responses.error(ErrorCode.INVALID_TOKEN, "Token 已注销，请重新登录", null));
        }
    }
}
