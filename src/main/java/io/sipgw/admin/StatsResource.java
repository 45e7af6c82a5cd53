package io.sipgw.admin;

import io.sipgw.api.ApiResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec 7.1: the admin's summary of users, calls and messages. */
@Path("stats")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "bearerJwt")
public class StatsResource {

    @Inject
    Statistics statistics;

    @GET
    @Path("summary")
    @Operation(summary = "Counts of users, calls and messages (admins) (spec 7.1)")
    @APIResponseSchema(StatsSummary.class)
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    public ApiResponse<StatsSummary> summary() {
        return ApiResponse.ok(statistics.summary());
    }
}
