/**
 * What a capability offers to be measured: {@code LiveCount}, a gauge of something live on this instance.
 * A leaf: it imports nothing of the gateway, so {@code sip}, {@code events} and {@code calls} can offer
 * gauges and {@code operations.GatewayMeters} can publish them without an import circle. The counters are
 * not here: {@code GatewayMeters} counts the capabilities' domain events.
 */
package io.sipgw.metrics;
