package io.sipgw.sip.registrar;

/**
 * One Contact of a REGISTER: add or refresh {@code contactUri} for {@code expiresSeconds}, or remove it
 * when that is 0.
 */
public record ContactUpdate(String contactUri, int expiresSeconds) {
}
