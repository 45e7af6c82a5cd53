/**
 * Slowing down password guessing: {@code FailureThrottle} counts failed checks per user name and per
 * source address and locks either for a while ({@code ThrottleSettings}). Shared by the embedded SIP
 * server (digest checks) and the REST login; each keeps its own instance and settings.
 */
package io.sipgw.throttle;
