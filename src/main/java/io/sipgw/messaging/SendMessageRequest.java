package io.sipgw.messaging;

/** Body of POST /messages (spec 3.1). */
public record SendMessageRequest(String to, String type, String content, Metadata metadata) {

    /** Client data; {@code clientMsgId} makes the send idempotent. */
    public record Metadata(String clientMsgId) {
    }

    String clientMsgId() {
        return metadata == null ? null : metadata.clientMsgId();
    }
}
