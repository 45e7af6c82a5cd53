/**
 * Login, logout and tokens (spec section 1). Login is a SIP registration: {@code Logins} hands out a token
 * only after the user's SIP server accepted their REGISTER, and ends the registration with the user's last
 * token ({@code LiveSessions}); {@code AuthResource} is /auth/login, /auth/logout, /auth/profile and
 * /auth/status. Owns the RS256 key pair ({@code TokenKeys}, given to MicroProfile JWT by
 * {@code JwtPublicKeyConfigSource}), issuing ({@code TokenIssuer}), revocation by logout
 * ({@code TokenRevocations}), the checks the container leaves to the application ({@code TokenFilter} for
 * missing and revoked tokens, {@code TokenVerifier} for the WebSocket handshake) and the envelope for the
 * container's token rejections ({@code TokenErrorServlet}). Fires {@code LoggedOut}. In a cluster
 * ({@code io.sipgw.cluster}): revocations reach every member, a logout through a member that does not hold
 * the session is handed to the one that does, and {@code RegistrationTakeover} registers again the users of
 * a member that left.
 */
package io.sipgw.auth;
