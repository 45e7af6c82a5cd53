package io.sipgw.calls;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of section 4. */
public final class CallViews {

    private CallViews() {
    }

    /** POST /calls answer (4.1). */
    @JsonbPropertyOrder({"callId", "from", "to", "type", "state", "createdAt"})
    public record Placed(String callId, String from, String to, String type, String state, Instant createdAt) {
        static Placed of(Call c) {
            return new Placed(c.callId(), c.fromUri(), c.toUri(), c.type(), c.state().name(), c.createdAt());
        }
    }

    /** PUT /calls/{id}/answer (4.2). */
    @JsonbPropertyOrder({"callId", "state", "answeredAt"})
    public record Answered(String callId, String state, Instant answeredAt) {
    }

    /** DELETE /calls/{id} (4.4). */
    @JsonbPropertyOrder({"callId", "state", "duration", "endedAt"})
    public record Ended(String callId, String state, long duration, Instant endedAt) {
    }

    /** GET /calls/{id} (4.5): duration grows while the call is active. */
    @JsonbPropertyOrder({"callId", "from", "to", "type", "state", "direction", "createdAt", "answeredAt", "endedAt", "duration"})
    public record Status(String callId, String from, String to, String type, String state, String direction, Instant createdAt,
                  Instant answeredAt, Instant endedAt, long duration) {
        static Status of(Call c) {
            return new Status(c.callId(), c.fromUri(), c.toUri(), c.type(), c.state().name(), c.direction().name(),
                    c.createdAt(), c.answeredAt(), c.endedAt(), c.durationSeconds(Instant.now()));
        }
    }

    /** One entry of GET /calls/history (4.6). */
    @JsonbPropertyOrder({"callId", "peer", "type", "direction", "state", "missed", "duration", "createdAt", "answeredAt", "endedAt"})
    public record HistoryEntry(String callId, Peer peer, String type, String direction, String state, boolean missed,
                        long duration, Instant createdAt, Instant answeredAt, Instant endedAt) {
    }

    @JsonbPropertyOrder({"userId", "displayName"})
    public record Peer(String userId, String displayName) {
    }

    @JsonbPropertyOrder({"content", "totalElements", "totalPages", "currentPage", "pageSize"})
    public record HistoryPage(List<HistoryEntry> content, long totalElements, int totalPages, int currentPage, int pageSize) {
    }
}
