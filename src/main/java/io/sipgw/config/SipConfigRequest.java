package io.sipgw.config;

/**
 * Body of PUT /config/sip (spec 6.2). A field left out keeps its stored value; an empty string goes back
 * to the gateway's default.
 */
public record SipConfigRequest(String sipServer, String transport, Integer expires, String outboundProxy,
                               String stunServer, String turnServer) {
}
