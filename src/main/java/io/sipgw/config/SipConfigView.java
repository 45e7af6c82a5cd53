package io.sipgw.config;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** GET /config/sip (spec 6.1): the SIP settings clients use; unset values are written as null. */
@JsonbNillable
@JsonbPropertyOrder({"sipServer", "transport", "expires", "outboundProxy", "stunServer", "turnServer"})
public record SipConfigView(String sipServer, String transport, int expires, String outboundProxy, String stunServer,
                            String turnServer) {
}
