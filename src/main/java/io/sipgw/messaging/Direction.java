package io.sipgw.messaging;

/** Whose side of a conversation a stored message is: sent by its owner, or received by them. */
public enum Direction {
    OUTGOING, INCOMING
}
