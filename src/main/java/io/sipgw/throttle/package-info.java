/**
 * Slowing down password guessing: {@code FailureThrottle} counts failed checks per user name and per
 * source address and locks either for a while ({@code ThrottleSettings}). Shared by the embedded SIP
 * server (digest checks) and the REST login; each keeps its own instance and settings. The rules work on
 * immutable {@code FailureRecord}s kept in a {@code FailureRecords} store: this instance's memory, or for the
 * REST login in a cluster the cluster's shared map.
 */
package io.sipgw.throttle;
