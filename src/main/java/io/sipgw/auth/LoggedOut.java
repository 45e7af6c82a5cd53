package io.sipgw.auth;

/** A token was given up by logout: whatever was opened with it (sockets) closes. */
public record LoggedOut(String userId, String jti) {
}
