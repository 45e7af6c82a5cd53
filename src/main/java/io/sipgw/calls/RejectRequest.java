package io.sipgw.calls;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional body of PUT /calls/{callId}/reject (spec 4.3). */
public record RejectRequest(@Schema(description = "sent to the caller in the Reason header") String reason) {
}
