package io.sipgw.auth;

import io.sipgw.sip.SipInput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /auth/login (spec 1.1); localIp and localPort are optional. */
public record LoginRequest(
        @Schema(required = true, maxLength = SipInput.MAX_URI, description = "sip:user@host[:port]; host:port is the user's SIP server (port 5060 when absent)",
                example = "sip:alice@127.0.0.1:5060") String sipUri,
        @Schema(required = true, maxLength = Logins.MAX_PASSWORD) String password,
        @Schema(description = "an IP address of this server for the user's SIP traffic (default: the gateway's listening point)")
        String localIp,
        @Schema(minimum = "1", maximum = "65535") Integer localPort) {
}
