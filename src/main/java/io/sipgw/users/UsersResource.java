package io.sipgw.users;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.Paging;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
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

/** Spec section 2: the directory with presence, filtered, searched and paged in the database. */
@Path("users")
@RequestScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;
    static final int MAX_SEARCH = 100;
    static final String STATUS_VALUES = "ONLINE, AWAY, BUSY, OFFLINE or ALL";

    @Inject
    UserDirectory directory;

    @GET
    public ApiResponse<UserPage> list(@QueryParam("status") String status, @QueryParam("search") String search,
                                      @QueryParam("page") String page, @QueryParam("size") String size) {
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
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "查询参数错误", problems);
        }
        List<UserSummary> content = directory.page(filter, term, paging.offset(), paging.size()).stream()
                .map(UserSummary::of).toList();
        long total = directory.count(filter, term);
        return ApiResponse.ok(new UserPage(content, total, paging.totalPages(total), paging.page(), paging.size()));
    }

    @GET
    @Path("{userId}")
    public ApiResponse<UserDetails> details(@PathParam("userId") String userId) {
        return ApiResponse.ok(directory.find(userId)
                .map(UserDetails::of)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "用户不存在")));
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
