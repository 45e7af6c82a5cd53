package io.sipgw.users;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.Paging;
import io.sipgw.api.UserText;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec section 2: the directory with presence, filtered, searched and paged in the database. */
@Path("users")
@ApplicationScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "users")
@SecurityRequirement(name = "bearerJwt")
public class UsersResource {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final int MAX_SEARCH = 100;
    static final String STATUS_VALUES = "ONLINE, AWAY, BUSY, OFFLINE or ALL";

    @Inject
    UserDirectory directory;

    @Inject
    UserLookup users;

    @GET
    @Operation(summary = "The directory with presence, filtered, searched and paged, ordered by userId (spec 2.1)")
    @APIResponseSchema(UserPage.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    public ApiResponse<UserPage> list(
            @QueryParam("status") @Parameter(description = "presence filter (case-insensitive); none or ALL lists every user",
                    schema = @Schema(enumeration = {"ONLINE", "AWAY", "BUSY", "OFFLINE", "ALL"}, defaultValue = "ALL")) String status,
            @QueryParam("search") @Parameter(description = "matched case-insensitively anywhere in userId, display name or SIP URI",
                    schema = @Schema(maxLength = MAX_SEARCH)) String search,
            @QueryParam("page") @Parameter(description = "page number from 0", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0", maximum = "" + Paging.MAX_PAGE, defaultValue = "0")) String page,
            @QueryParam("size") @Parameter(description = "entries per page", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + MAX_SIZE, defaultValue = "" + DEFAULT_SIZE)) String size) {
        Map<String, String> problems = new LinkedHashMap<>();
        UserStatus filter = statusFilter(status, problems);
        String term = search == null || search.isBlank() ? null : search.trim();
        if (term != null && term.length() > MAX_SEARCH) {
            problems.put("search", "at most " + MAX_SEARCH + " characters");
        }
        Paging paging;
        try {
            paging = Paging.parse(page, size, DEFAULT_SIZE, MAX_SIZE);
        } catch (ApiException e) {
            problems.putAll(e.details());
            paging = null;
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.INVALID_QUERY.text(), problems);
        }
        List<UserSummary> content = directory.page(filter, term, paging.offset(), paging.size()).stream()
                .map(UserSummary::of).toList();
        long total = directory.count(filter, term);
        return ApiResponse.ok(new UserPage(content, total, paging.totalPages(total), paging.page(), paging.size()));
    }

    @GET
    @Path("{userId}")
    @Operation(summary = "One user of the directory (spec 2.2)")
    @APIResponseSchema(UserDetails.class)
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public ApiResponse<UserDetails> details(
            @PathParam("userId") @Parameter(description = "user@host, as in userId") String userId) {
        return ApiResponse.ok(users.find(userId)
                .map(UserDetails::of)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, UserText.USER_NOT_FOUND.text())));
    }

    /** The status filter: null for every status (ALL, or no parameter). */
    private static UserStatus statusFilter(String status, Map<String, String> problems) {
        if (status == null || status.isBlank() || status.trim().equalsIgnoreCase("ALL")) {
            return null;
        }
        try {
            return UserStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.put("status", "must be one of " + STATUS_VALUES);
            return null;
        }
    }
}
