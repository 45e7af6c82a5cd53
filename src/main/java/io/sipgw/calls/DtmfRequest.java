package io.sipgw.calls;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /calls/{callId}/dtmf (beyond the spec; README, API notes). */
public record DtmfRequest(
        @Schema(required = true, minLength = 1, maxLength = Dtmf.MAX_DIGITS, pattern = "^[0-9*#A-Da-d]+$",
                description = "the keys, sent one after the other") String digits,
        @Schema(minimum = "40", maximum = "2000", defaultValue = "160", description = "tone length of each key in milliseconds")
        Integer durationMs) {
}
