package io.sipgw.calls;

import io.sipgw.sip.SipInput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Optional body of PUT /calls/{callId}/reject (spec 4.3). */
public record RejectRequest(@Schema(maxLength = SipInput.MAX_REASON, description = "sent to the caller in the Reason header; no control characters") String reason) {
}
