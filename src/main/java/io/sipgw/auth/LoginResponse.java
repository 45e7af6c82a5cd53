package io.sipgw.auth;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Data of a successful login (spec 1.1). */
@Schema(name = "LoginResponse")
@JsonbPropertyOrder({"token", "userId", "displayName", "expiresIn", "sipConfig"})
public record LoginResponse(String token, String userId, String displayName,
                            @Schema(description = "token lifetime in seconds") long expiresIn, SipConfig sipConfig) {

    /** The registration as the SIP server granted it. */
    @Schema(name = "LoginResponseSipConfig")
    @JsonbPropertyOrder({"registered", "expires", "localAddress"})
    public record SipConfig(boolean registered,
                            @Schema(description = "registration lifetime the SIP server granted, in seconds") int expires,
                            @Schema(description = "host:port the user's SIP traffic uses") String localAddress) {
    }
}
