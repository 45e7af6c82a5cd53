package io.sipgw.calls;

import io.sipgw.api.ApiException;
import io.sipgw.api.ApiResponse;
import io.sipgw.api.ErrorCode;
import io.sipgw.api.Paging;
import io.sipgw.api.UserText;
import io.sipgw.sip.SipUri;
import io.sipgw.users.User;
import io.sipgw.users.UserDirectory;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponseSchema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Spec section 4: place, answer, reject, hang up, status and history of audio and video calls. Owners only. */
@Path("calls")
@ApplicationScoped
@RolesAllowed("user")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "calls")
@SecurityRequirement(name = "bearerJwt")
public class CallsResource {

    static final int HISTORY_DEFAULT_SIZE = 20;
    static final int HISTORY_MAX_SIZE = 200;

    @Inject
    CallControl control;

    @Inject
    CallStore store;

    @Inject
    CallLookup lookup;

    @Inject
    UserDirectory directory;

    @Inject
    JsonWebToken jwt;

    @POST
    @Operation(summary = "Place an audio or video call with the browser's SDP offer; waits briefly for the first answer (spec 4.1)")
    @APIResponseSchema(CallViews.Placed.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR, INVALID_SDP, USER_OFFLINE, CALL_BUSY, CALL_REJECTED")
    @APIResponse(responseCode = "401", description = "AUTH_FAILED")
    @APIResponse(responseCode = "500", description = "SIP_ERROR")
    public ApiResponse<CallViews.Placed> place(CallRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "a JSON object with to, type and sdp is required");
        }
        SipUri to;
        try {
            to = SipUri.parse(request.to());
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, UserText.CALL_TARGET_MALFORMED.text(), Map.of("to", e.getMessage()));
        }
        CallType type = CallType.parse(request.type());
        String sdp = Sdp.requireAudio(request.sdp());
        type.requireIn(sdp);
        return ApiResponse.ok(CallViews.Placed.of(control.place(jwt.getName(), to, type, sdp)), UserText.CALL_PLACED.text());
    }

    @PUT
    @Path("{callId}/answer")
    @Operation(summary = "Answer a ringing incoming call with the SDP answer (spec 4.2)")
    @APIResponseSchema(CallViews.Answered.class)
    @APIResponse(responseCode = "400", description = "INVALID_SDP")
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "INVALID_STATE")
    @APIResponse(responseCode = "500", description = "SIP_ERROR")
    public ApiResponse<CallViews.Answered> answer(@PathParam("callId") String callId, AnswerRequest request) {
        Call call = control.answer(jwt.getName(), callId, request == null ? null : request.sdp());
        return ApiResponse.ok(new CallViews.Answered(call.callId(), call.state().name(), call.answeredAt()), UserText.CALL_CONNECTED.text());
    }

    @PUT
    @Path("{callId}/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Decline a ringing incoming call (603 Decline) (spec 4.3)")
    @RequestBody(required = false, description = "optional reason, sent in the Reason header")
    @APIResponse(responseCode = "403", description = "FORBIDDEN")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "INVALID_STATE")
    @APIResponse(responseCode = "500", description = "SIP_ERROR")
    public ApiResponse<Void> reject(@PathParam("callId") String callId, RejectRequest request) {
        control.reject(jwt.getName(), callId, request == null ? null : request.reason());
        return ApiResponse.okMessage(UserText.CALL_DECLINED.text());
    }

    @POST
    @Path("{callId}/dtmf")
    @Operation(summary = "Send key presses (DTMF) to the far end of an active call as SIP INFO (beyond the spec)")
    @APIResponseSchema(CallViews.DtmfSent.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "INVALID_STATE")
    public ApiResponse<CallViews.DtmfSent> dtmf(@PathParam("callId") String callId, DtmfRequest request) {
        String digits = request == null ? null : request.digits();
        CallControl.DtmfQueued queued = control.dtmf(jwt.getName(), callId, digits,
                request == null ? null : request.durationMs());
        return ApiResponse.ok(new CallViews.DtmfSent(queued.call().callId(), queued.keys(), "SIP_INFO"),
                UserText.DTMF_SENT.text());
    }

    @DELETE
    @Path("{callId}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Hang up: cancel a ringing outgoing call, reject a ringing incoming one, end an active one (spec 4.4)")
    @APIResponseSchema(CallViews.Ended.class)
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    @APIResponse(responseCode = "409", description = "INVALID_STATE")
    @APIResponse(responseCode = "500", description = "SIP_ERROR")
    public ApiResponse<CallViews.Ended> hangUp(@PathParam("callId") String callId) {
        Call call = control.hangUp(jwt.getName(), callId);
        return ApiResponse.ok(new CallViews.Ended(call.callId(), call.state().name(), call.durationSeconds(Instant.now()),
                call.endedAt()), UserText.CALL_ENDED.text());
    }

    @GET
    @Path("history")
    @Operation(summary = "The caller's calls, newest first (spec 4.6)")
    @APIResponseSchema(CallViews.HistoryPage.class)
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR")
    public ApiResponse<CallViews.HistoryPage> history(
            @QueryParam("type") @Parameter(description = "which calls (case-insensitive)",
                    schema = @Schema(enumeration = {"ALL", "MISSED", "OUTGOING", "INCOMING"}, defaultValue = "ALL")) String type,
            @QueryParam("page") @Parameter(description = "page number from 0", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "0", maximum = "" + Paging.MAX_PAGE, defaultValue = "0")) String page,
            @QueryParam("size") @Parameter(description = "calls per page", schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", maximum = "" + HISTORY_MAX_SIZE, defaultValue = "" + HISTORY_DEFAULT_SIZE)) String size) {
        CallStore.HistoryFilter filter;
        try {
            filter = type == null || type.isBlank() ? CallStore.HistoryFilter.ALL
                    : CallStore.HistoryFilter.valueOf(type.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("type", "must be one of " + Arrays.toString(CallStore.HistoryFilter.values()));
        }
        Paging paging = Paging.parse(page, size, HISTORY_DEFAULT_SIZE, HISTORY_MAX_SIZE);
        String me = jwt.getName();
        List<Call> calls = store.history(me, filter, paging.offset(), paging.size());
        long total = store.count(me, filter);
        Map<String, User> peers = directory.findAll(calls.stream().map(Call::peerId).collect(Collectors.toSet()));
        Instant now = Instant.now();
        List<CallViews.HistoryEntry> content = calls.stream().map(c -> new CallViews.HistoryEntry(c.callId(),
                new CallViews.Peer(c.peerId(), peers.containsKey(c.peerId()) ? peers.get(c.peerId()).displayName()
                        : User.defaultDisplayName(c.peerId())),
                c.type(), c.direction().name(), c.state().name(), c.missed(), c.durationSeconds(now), c.createdAt(),
                c.answeredAt(), c.endedAt())).toList();
        return ApiResponse.ok(new CallViews.HistoryPage(content, total, paging.totalPages(total), paging.page(), paging.size()));
    }

    @GET
    @Path("{callId}")
    @Operation(summary = "One of the caller's calls; duration grows while it is active (spec 4.5)")
    @APIResponseSchema(CallViews.Status.class)
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public ApiResponse<CallViews.Status> status(@PathParam("callId") String callId) {
        return ApiResponse.ok(CallViews.Status.of(lookup.findOwn(jwt.getName(), callId)));
    }
}
