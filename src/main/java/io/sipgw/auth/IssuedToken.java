package io.sipgw.auth;

import java.time.Instant;

/** A signed token and what the server keeps of it. */
public record IssuedToken(String token, String jti, Instant expiresAt, long lifetimeSeconds) {
}
