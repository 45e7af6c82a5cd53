package io.sipgw.calls;

import io.sipgw.sip.SipInput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /calls (spec 4.1). */
public record CallRequest(
        @Schema(required = true, maxLength = SipInput.MAX_URI, description = "the callee's SIP URI", example = "sip:bob@127.0.0.1:5060") String to,
        @Schema(enumeration = {"AUDIO", "VIDEO"}, defaultValue = "AUDIO", description = "VIDEO needs an active video m-line in the offer besides the audio one") String type,
        @Schema(required = true, maxLength = Sdp.MAX_LENGTH, description = "the SDP offer, with an audio m-line (and a video one for VIDEO)") String sdp) {
}
