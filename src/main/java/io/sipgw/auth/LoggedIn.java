package io.sipgw.auth;

/**
 * A user logged in: their SIP server accepted the REGISTER and a token was issued. Not a socket event (the
 * client has the login's answer); observed by the metrics.
 */
public record LoggedIn(String userId) {
}
