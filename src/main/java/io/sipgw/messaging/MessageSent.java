package io.sipgw.messaging;

/**
 * A user's new message was stored and goes out as SIP MESSAGE; a retry with the same clientMsgId is not
 * another one. Not a socket event (the sender has the REST answer); observed by the metrics after the
 * entry committed.
 */
public record MessageSent(String senderId, String messageId) {
}
