package io.sipgw.messaging;

/** Delivery state of a message (spec section 9). */
public enum MessageStatus {
    SENDING, SENT, DELIVERED, READ, FAILED
}
