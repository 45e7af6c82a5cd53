package io.sipgw.auth;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.UserText;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.users.User;
import io.sipgw.users.UserDirectory;
import io.sipgw.users.UserLookup;
import io.sipgw.users.UserStatus;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec section 1: login (SIP registration), logout, profile and own status. */
@Path("auth")
@ApplicationScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "auth")
public class AuthResource {

    @Inject
    Logins logins;

    @Inject
    RegistrationTable registrations;

    @Inject
    UserDirectory directory;

    @Inject
    UserLookup users;

    @Inject
    JsonWebToken jwt;

    @Context
    HttpServletRequest http;

    @POST
    @Path("login")
    @PermitAll
    @Operation(summary = "Log in: register at the SIP server and get a token (spec 1.1)")
    @APIResponseSchema(LoginResponse.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED")
    @APIResponse(responseCode = "429", description = "TOO_MANY_ATTEMPTS")
    @APIResponse(responseCode = "500", description = "SIP_ERROR")
    public ApiResponse<LoginResponse> login(LoginRequest request) {
        return ApiResponse.ok(logins.login(request, http.getRemoteAddr()), UserText.LOGIN_SUCCEEDED.text());
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Log out: give the token up; the last token also ends the registration (spec 1.2)")
    @SecurityRequirement(name = "bearerJwt")
    public ApiResponse<Void> logout() {
        logins.logout(jwt.getName(), jwt.getTokenID(), Instant.ofEpochSecond(jwt.getExpirationTime()));
        return ApiResponse.okMessage(UserText.LOGOUT_SUCCEEDED.text());
    }

    @GET
    @Path("profile")
    @Operation(summary = "The caller's profile and registration (spec 1.3)")
    @APIResponseSchema(Profile.class)
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @SecurityRequirement(name = "bearerJwt")
    public ApiResponse<Profile> profile() {
        String userId = jwt.getName();
        User user = users.find(userId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, UserText.USER_NOT_FOUND.text()));
        return ApiResponse.ok(new Profile(user.userId(), user.sipUri(), user.displayName(), user.status().name(),
                user.statusMessage(), registrations.find(userId).isPresent(), user.lastActivity()));
    }

    @PUT
    @Path("status")
    @Operation(summary = "Set the caller's presence status and message (spec 1.4)")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    @SecurityRequirement(name = "bearerJwt")
    public ApiResponse<Void> status(StatusRequest request) {
        if (request == null || request.status() == null) {
            throw ApiException.invalid("status", "one of ONLINE, AWAY, BUSY, OFFLINE is required");
        }
        UserStatus status;
        try {
            status = UserStatus.valueOf(request.status().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("status", "must be one of " + Arrays.toString(UserStatus.values()));
        }
        String message = request.statusMessage();
        if (message != null && message.length() > User.MAX_STATUS_MESSAGE) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.STATUS_MESSAGE_TOO_LONG.text(),
                    Map.of("statusMessage", "at most " + User.MAX_STATUS_MESSAGE + " characters"));
        }
        directory.changeStatus(jwt.getName(), status, message);
        return ApiResponse.okMessage(UserText.STATUS_UPDATED.text());
    }
}
