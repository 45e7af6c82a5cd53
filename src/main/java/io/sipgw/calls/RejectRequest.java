package io.sipgw.calls;

/** Optional body of PUT /calls/{callId}/reject (spec 4.3). */
public record RejectRequest(String reason) {
}
