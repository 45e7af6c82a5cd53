package io.sipgw.config;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of PUT /config/sip (spec 6.2). A field left out keeps its stored value; an empty string goes back
 * to the gateway's default.
 */
public record SipConfigRequest(
        @Schema(description = "host:port; empty string: back to the default") String sipServer,
        @Schema(enumeration = {"UDP", "TCP", "TLS", ""}, description = "case-insensitive; empty string: back to the default")
        String transport,
        @Schema(minimum = "" + SipSettings.MIN_EXPIRES, maximum = "" + SipSettings.MAX_EXPIRES) Integer expires,
        @Schema(description = "host:port; empty string: none") String outboundProxy,
        @Schema(description = "host:port or stun:/stuns:host:port; empty string: none") String stunServer,
        @Schema(description = "host:port or turn:/turns:host:port[?transport=udp|tcp]; empty string: none") String turnServer) {
}
