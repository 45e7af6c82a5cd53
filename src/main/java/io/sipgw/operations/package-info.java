/**
 * Operations: MicroProfile Health checks (liveness, readiness of SIP, database and embedded SIP server),
 * the gateway's MicroProfile Metrics ({@code GatewayMeters}, fed by the capabilities) and the OpenAPI
 * document's envelopes ({@code ApiEnvelopes}, a filter on Payara's MicroProfile OpenAPI scan).
 */
package io.sipgw.operations;
