package io.sipgw.users;

/** Presence of a user (spec section 9). */
public enum UserStatus {
    ONLINE, AWAY, BUSY, OFFLINE
}
