package io.sipgw.auth;

/** Body of PUT /auth/status (spec 1.4). */
public record StatusRequest(String status, String statusMessage) {
}
