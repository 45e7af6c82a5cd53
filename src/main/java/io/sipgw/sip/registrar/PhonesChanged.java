package io.sipgw.sip.registrar;

/**
 * Fired (on a worker thread, not the SIP stack's) when a user of the embedded SIP server's domain gained
 * a first or lost a last registration of a SIP phone or softphone, as opposed to the gateway's own
 * registration for an API login. The event says only who: {@link EmbeddedSipServer#hasPhone} tells the
 * current state, since several changes for one user may be delivered out of order.
 *
 * @param userId the API's user id, {@code user@domain}
 */
public record PhonesChanged(String userId) {
}
