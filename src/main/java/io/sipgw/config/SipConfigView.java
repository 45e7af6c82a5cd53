package io.sipgw.config;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /config/sip (spec 6.1): the SIP settings clients use; unset values are written as null. */
@Schema(name = "SipConfigView")
@JsonbNillable
@JsonbPropertyOrder({"sipServer", "transport", "expires", "outboundProxy", "stunServer", "turnServer"})
public record SipConfigView(@Schema(nullable = true) String sipServer, String transport, int expires,
                            @Schema(nullable = true) String outboundProxy, @Schema(nullable = true) String stunServer,
                            @Schema(nullable = true) String turnServer) {
}
