package io.sipgw.admin;

import io.sipgw.calls.Call;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One call of GET /admin/calls (spec 7.2): parties as userIds, status as the admin sees the whole call. */
@Schema(name = "AdminCallRecord")
@JsonbNillable
@JsonbPropertyOrder({"callId", "from", "to", "type", "duration", "startTime", "endTime", "status"})
public record AdminCallRecord(String callId, String from, String to, String type,
                              @Schema(description = "seconds from answer to end (0 if never answered)") long duration,
                              Instant startTime, @Schema(nullable = true, description = "null while the call lasts") Instant endTime,
                              @Schema(enumeration = {"RINGING", "ACTIVE", "COMPLETED", "MISSED", "REJECTED", "FAILED"}) String status) {

    /**
     * @param calleeMissed whether the callee's side of this call is a missed call (the row may be the caller's)
     */
    static AdminCallRecord of(Call call, boolean calleeMissed, Instant now) {
        return new AdminCallRecord(call.callId(), call.callerId(), call.calleeId(), call.type(), call.durationSeconds(now),
                call.createdAt(), call.endedAt(), status(call, calleeMissed || call.missed()));
    }

    /** COMPLETED, MISSED, REJECTED or FAILED for finished calls; RINGING or ACTIVE while they last. */
    static String status(Call call, boolean missed) {
        return switch (call.state()) {
            case ENDED -> "COMPLETED";
            case REJECTED -> "REJECTED";
            case CANCELLED -> "MISSED";
            case FAILED -> missed ? "MISSED" : "FAILED";
            case RINGING, ACTIVE -> call.state().name();
        };
    }
}
