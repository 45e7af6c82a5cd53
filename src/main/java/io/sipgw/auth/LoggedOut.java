package io.sipgw.auth;

/**
 * A token was given up by logout: whatever was opened with it (sockets) closes. With the user's last
 * token ({@code lastSession}) their registration and calls end too.
 */
public record LoggedOut(String userId, String jti, boolean lastSession) {
}
