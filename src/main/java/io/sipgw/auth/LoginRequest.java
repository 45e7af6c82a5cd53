package io.sipgw.auth;

/** Body of POST /auth/login (spec 1.1); localIp and localPort are optional. */
public record LoginRequest(String sipUri, String password, String localIp, Integer localPort) {
}
