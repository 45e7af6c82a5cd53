package io.sipgw.admin;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /stats/summary (spec 7.1); see README for what each number counts. */
@JsonbPropertyOrder({"totalUsers", "onlineUsers", "totalCalls", "activeCalls", "totalMessages", "messagesLast24h",
        "serverUptime", "timestamp"})
@Schema(name = "StatsSummary")
public record StatsSummary(long totalUsers, long onlineUsers, long totalCalls, long activeCalls, long totalMessages,
                           long messagesLast24h, long serverUptime, Instant timestamp) {
}
