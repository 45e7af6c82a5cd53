/**
 * Operations: MicroProfile Health checks (liveness, readiness of SIP, database and embedded SIP server),
 * the gateway's MicroProfile Metrics ({@code GatewayMeters}: counters of the capabilities' domain events,
 * gauges from the {@code metrics.LiveCount}s they produce) and the OpenAPI document's envelopes
 * ({@code ApiEnvelopes}, a filter on Payara's MicroProfile OpenAPI scan).
 */
package io.sipgw.operations;
