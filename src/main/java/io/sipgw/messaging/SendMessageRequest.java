package io.sipgw.messaging;

import io.sipgw.sip.SipInput;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of POST /messages (spec 3.1). */
public record SendMessageRequest(
        @Schema(required = true, maxLength = SipInput.MAX_URI, description = "the recipient's SIP URI", example = "sip:bob@127.0.0.1:5060") String to,
        @Schema(enumeration = "TEXT", defaultValue = "TEXT", description = "FILE and IMAGE are not supported yet (400)") String type,
        @Schema(required = true, minLength = 1, maxLength = Message.MAX_CONTENT) String content,
        Metadata metadata) {

    /** Client data; {@code clientMsgId} makes the send idempotent. */
    public record Metadata(
            @Schema(minLength = 1, maxLength = Messaging.MAX_CLIENT_MSG_ID,
                    description = "the same sender and clientMsgId always get the same message back") String clientMsgId) {
    }

    String clientMsgId() {
        return metadata == null ? null : metadata.clientMsgId();
    }
}
