/**
 * Membership of a Payara Micro cluster: the one package that talks to Payara's Hazelcast data grid (JNDI
 * {@code payara/Hazelcast}). {@code Cluster} is off unless {@code sipgw.cluster.enabled} is true; then it
 * requires Payara's Hazelcast to be running and offers topics of plain string fields, delivered to every
 * other member (never back to the publishing one). A leaf: it imports nothing of the gateway, so
 * {@code events} (socket fan-out) and {@code auth} (token revocation) use it without an import circle.
 */
package io.sipgw.cluster;
