/**
 * Membership of a Payara Micro cluster: the one package that talks to Payara's Hazelcast data grid (JNDI
 * {@code payara/Hazelcast}). {@code Cluster} is off unless {@code sipgw.cluster.enabled} is true; then it
 * requires Payara's Hazelcast to be running and offers topics of plain string fields, delivered to every
 * other member (never back to the publishing one), shared maps of string arrays (updated under a key's
 * lock, with a time to live) and members leaving. A leaf: it imports nothing of the gateway, so
 * {@code events} (socket fan-out), {@code auth} (token revocation, registration takeover, the login
 * throttle's counters), {@code calls} (legs of a member that left) and {@code messaging} use it without an
 * import circle.
 */
package io.sipgw.cluster;
