/**
 * sipgw, a SIP communication gateway: REST and WebSocket for web and mobile clients, SIP towards a SIP
 * server. {@code JaxRsActivator} is the REST application (/api, MicroProfile JWT, the declared roles).
 * One package per capability ({@code auth}, {@code users}, {@code messaging}, {@code calls},
 * {@code admin}, {@code config}) over shared ones ({@code api}, {@code events}, {@code sip},
 * {@code operations}, {@code work}, {@code jpa}); see docs/architecture.md.
 */
package io.sipgw;
