/**
 * The embedded SIP server: registrar, location service and stateful proxy for one domain, so the gateway
 * works without an external SIP server. It knows nothing of the rest of the gateway: the gateway's user
 * agent reaches it over real SIP, exactly as it would reach Kamailio.
 *
 * <p>Owns: REGISTER handling with digest authentication ({@code Registrar}) against the HA1 digests of
 * the provisioned accounts of its domain ({@link io.sipgw.accounts}), the bindings of each user
 * ({@link io.sipgw.sip.registrar.LocationService}), routing and forwarding of every other request
 * ({@code Proxy}), and the server's JAIN-SIP stack ({@link io.sipgw.sip.registrar.SipServer}, run in the
 * application by {@link io.sipgw.sip.registrar.EmbeddedSipServer}).
 *
 * <p>Security model (as a production Kamailio with {@code WITH_REQUEST_AUTH}): REGISTER is authenticated
 * with digest (401), and so is every out-of-dialog request whose From is in the domain (407,
 * {@code SenderCheck}); the authenticated user must be the From user. Requests from other domains follow
 * {@link io.sipgw.sip.registrar.ForeignRequests} (refused by default). Digest means MD5 with qop=auth, nonce
 * counts checked per nonce, and a throttle that locks user names and source addresses after repeated
 * failures ({@link io.sipgw.throttle.FailureThrottle}). Without credentials, known and unknown users look the same. It is no
 * open relay: it forwards only to users of its own domain and within dialogs it record-routed. It still
 * listens on loopback by default: there is no TLS.
 *
 * <p>Bindings live in memory and lapse by themselves; a restart forgets them and user agents register
 * again. Each request goes to the user's most recently refreshed contact (no forking).
 */
package io.sipgw.sip.registrar;
