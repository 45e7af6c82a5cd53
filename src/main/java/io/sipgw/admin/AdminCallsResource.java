package io.sipgw.admin;

import io.sipgw.api.ApiResponse;
import io.sipgw.api.Paging;
import io.sipgw.calls.Call;
import io.sipgw.calls.CallStore;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
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

/** Spec 7.2: every call of the gateway, one record per real call, newest first. */
@Path("admin/calls")
@RequestScoped
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminCallsResource {

    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;

    @Inject
    CallStore calls;

    @GET
    public ApiResponse<AdminCallPage> list(@QueryParam("page") String page, @QueryParam("size") String size) {
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
