package io.sipgw.config;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.UserText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec section 6: any user reads the SIP configuration; only admins change it (stored, see README). */
@Path("config/sip")
@ApplicationScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "config")
@SecurityRequirement(name = "bearerJwt")
public class SipConfigResource {

    @Inject
    SipConfiguration configuration;

    @Inject
    SipSettingsStore store;

    @GET
    @Operation(summary = "The SIP settings clients should use (spec 6.1)")
    @APIResponseSchema(SipConfigView.class)
    public ApiResponse<SipConfigView> get() {
        return ApiResponse.ok(configuration.current());
    }

    @PUT
    @RolesAllowed("admin")
    @Operation(summary = "Store SIP settings (admins); they apply to the gateway at its next start (spec 6.2)",
            description = "A field left out keeps its stored value; an empty string goes back to the default. "
                    + "Every bad field is reported in details and nothing is stored then.")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    public ApiResponse<Void> update(SipConfigRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "a JSON object with the settings to change is required");
        }
        store.update(request);
        return ApiResponse.okMessage(UserText.CONFIG_UPDATED_AFTER_RESTART.text());
    }
}
