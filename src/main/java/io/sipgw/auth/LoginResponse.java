package io.sipgw.auth;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** Data of a successful login (spec 1.1). */
@JsonbPropertyOrder({"token", "userId", "displayName", "expiresIn", "sipConfig"})
public record LoginResponse(String token, String userId, String displayName, long expiresIn, SipConfig sipConfig) {

    /** The registration as the SIP server granted it. */
    @JsonbPropertyOrder({"registered", "expires", "localAddress"})
    public record SipConfig(boolean registered, int expires, String localAddress) {
    }
}
