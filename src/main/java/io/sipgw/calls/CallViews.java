package io.sipgw.calls;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The JSON shapes of section 4. */
public final class CallViews {

    private CallViews() {
    }

    /** POST /calls answer (4.1). */
    @Schema(name = "PlacedCall")
    @JsonbPropertyOrder({"callId", "from", "to", "type", "state", "createdAt"})
    public record Placed(String callId, String from, String to, String type, @Schema(ref = "CallState") String state, Instant createdAt) {
        static Placed of(Call c) {
            return new Placed(c.callId(), c.fromUri(), c.toUri(), c.type(), c.state().name(), c.createdAt());
        }
    }

    /** PUT /calls/{id}/answer (4.2). */
    @Schema(name = "AnsweredCall")
    @JsonbPropertyOrder({"callId", "state", "answeredAt"})
    public record Answered(String callId, @Schema(ref = "CallState") String state, Instant answeredAt) {
    }

    /** DELETE /calls/{id} (4.4). */
    @Schema(name = "EndedCall")
    @JsonbPropertyOrder({"callId", "state", "duration", "endedAt"})
    public record Ended(String callId, @Schema(ref = "CallState") String state, long duration, Instant endedAt) {
    }

    /** POST /calls/{id}/dtmf (beyond the spec): the keys sent and how. */
    @Schema(name = "DtmfSent")
    @JsonbPropertyOrder({"callId", "digits", "method"})
    public record DtmfSent(String callId, String digits,
            @Schema(enumeration = {"SIP_INFO"}, description = "SIP INFO with application/dtmf-relay, one per key") String method) {
    }

    /** GET /calls/{id} (4.5): duration grows while the call is active. */
    @JsonbPropertyOrder({"callId", "from", "to", "type", "state", "direction", "createdAt", "answeredAt", "endedAt", "duration"})
    @Schema(name = "CallStatus")
    public record Status(String callId, String from, String to, String type, @Schema(ref = "CallState") String state, @Schema(ref = "CallDirection") String direction, Instant createdAt,
                  Instant answeredAt, Instant endedAt, long duration) {
        static Status of(Call c) {
            return new Status(c.callId(), c.fromUri(), c.toUri(), c.type(), c.state().name(), c.direction().name(),
                    c.createdAt(), c.answeredAt(), c.endedAt(), c.durationSeconds(Instant.now()));
        }
    }

    /** One entry of GET /calls/history (4.6). */
    @JsonbPropertyOrder({"callId", "peer", "type", "direction", "state", "missed", "duration", "createdAt", "answeredAt", "endedAt"})
    @Schema(name = "CallHistoryEntry")
    public record HistoryEntry(String callId, Peer peer, String type, @Schema(ref = "CallDirection") String direction, @Schema(ref = "CallState") String state, boolean missed,
                        long duration, Instant createdAt, Instant answeredAt, Instant endedAt) {
    }

    @Schema(name = "CallPeer")
    @JsonbPropertyOrder({"userId", "displayName"})
    public record Peer(String userId, String displayName) {
    }

    @Schema(name = "CallHistoryPage")
    @JsonbPropertyOrder({"content", "totalElements", "totalPages", "currentPage", "pageSize"})
    public record HistoryPage(List<HistoryEntry> content, long totalElements, int totalPages, int currentPage, int pageSize) {
    }
}
