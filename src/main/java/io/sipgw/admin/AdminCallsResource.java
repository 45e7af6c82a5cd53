package io.sipgw.admin;

import io.sipgw.api.ApiResponse;
import io.sipgw.api.Paging;
import io.sipgw.calls.Call;
import io.sipgw.calls.CallStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec 7.2: every call of the gateway, one record per real call, newest first. */
@Path("admin/calls")
@ApplicationScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "bearerJwt")
public class AdminCallsResource {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;

    @Inject
    CallStore calls;

    @GET
    @Operation(summary = "Every call once, newest first (admins) (spec 7.2)")
    @APIResponseSchema(AdminCallPage.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    public ApiResponse<AdminCallPage> list(
            @QueryParam("page") @Parameter(description = "page number from 0", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0", maximum = "" + Paging.MAX_PAGE, defaultValue = "0")) String page,
            @QueryParam("size") @Parameter(description = "calls per page", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + MAX_SIZE, defaultValue = "" + DEFAULT_SIZE)) String size) {
        Paging paging = Paging.parse(page, size, DEFAULT_SIZE, MAX_SIZE);
        List<Call> rows = calls.oneRowPerCall(paging.offset(), paging.size());
        Set<String> missed = calls.missedByCallee(rows.stream().map(Call::sipCallId).filter(Objects::nonNull)
                .collect(Collectors.toSet()));
        long total = calls.countOneRowPerCall();
        Instant now = Instant.now();
        List<AdminCallRecord> content = rows.stream()
                .map(c -> AdminCallRecord.of(c, c.sipCallId() != null && missed.contains(c.sipCallId()), now))
                .toList();
        return ApiResponse.ok(new AdminCallPage(content, total, paging.totalPages(total), paging.page(), paging.size()));
    }
}
