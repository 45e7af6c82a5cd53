/**
 * Text messages (spec section 3) as SIP MESSAGE: the {@code Message} entity owns the delivery state
 * machine; each side of a conversation has its own entries. Owns the message resources, sending and
 * receiving SIP MESSAGE, the stored conversations, read receipts and the message events (MESSAGE_RECEIVED,
 * MESSAGE_STATUS_UPDATED).
 */
package io.sipgw.messaging;
