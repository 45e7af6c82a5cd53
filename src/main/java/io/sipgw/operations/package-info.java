/**
 * Operations: MicroProfile Health checks (liveness, readiness of SIP, database and embedded SIP server),
 * the gateway's MicroProfile Metrics ({@code GatewayMeters}: counters of the capabilities' domain events,
 * gauges from the {@code metrics.LiveCount}s they produce) and the OpenAPI
 * document ({@code ApiDocument}, built from the resources and their records by reflection).
 */
package io.sipgw.operations;
