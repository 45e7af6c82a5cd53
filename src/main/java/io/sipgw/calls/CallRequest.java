package io.sipgw.calls;

/** Body of POST /calls (spec 4.1). */
public record CallRequest(String to, String type, String sdp) {
}
