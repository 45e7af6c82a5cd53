package io.sipgw.calls;

/** Body of PUT /calls/{callId}/answer (spec 4.2). */
public record AnswerRequest(String sdp) {
}
