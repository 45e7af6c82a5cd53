package io.sipgw.calls;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of PUT /calls/{callId}/answer (spec 4.2). */
public record AnswerRequest(
        @Schema(required = true, maxLength = Sdp.MAX_LENGTH, description = "the SDP answer, with an audio m-line") String sdp) {
}
