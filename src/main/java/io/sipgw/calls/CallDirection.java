package io.sipgw.calls;

/** Whether the owner of a call placed it or received it. */
public enum CallDirection {
    OUTGOING, INCOMING
}
