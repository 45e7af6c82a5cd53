package io.sipgw.calls;

/** State of a call (spec section 9); every state but RINGING and ACTIVE is final. */
public enum CallState {
    RINGING, ACTIVE, ENDED, REJECTED, CANCELLED, FAILED;

    public boolean isFinal() {
        return this != RINGING && this != ACTIVE;
    }
}
