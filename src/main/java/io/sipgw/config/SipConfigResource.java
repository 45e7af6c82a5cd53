package io.sipgw.config;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Spec section 6: any user reads the SIP configuration; only admins change it (stored, see README). */
@Path("config/sip")
@RequestScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SipConfigResource {

    @Inject
    SipConfiguration configuration;

    @Inject
    SipSettingsStore store;

    @GET
    public ApiResponse<SipConfigView> get() {
        return ApiResponse.ok(configuration.current());
    }

    @PUT
    @RolesAllowed("admin")
    public ApiResponse<Void> update(SipConfigRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "a JSON object with the settings to change is required");
        }
        store.update(request);
        return ApiResponse.okMessage("配置已更新，重启后生效");
    }
}
