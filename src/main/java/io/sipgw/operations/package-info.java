/**
 * Operations: MicroProfile Health checks (liveness, readiness of SIP, database and embedded SIP server)
 * and the gateway's MicroProfile Metrics ({@code GatewayMeters}, fed by the capabilities).
 */
package io.sipgw.operations;
