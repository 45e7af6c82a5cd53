package io.sipgw.sip;

/**
 * Fired when a user's registration is gone without a logout: a refresh was refused or unanswered, or
 * its holder no longer wants it ({@code reason} says which).
 */
public record RegistrationEnded(String userId, String reason) {
}
