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
 * <p>Security model: only REGISTER is authenticated (digest, qop=auth, MD5; a wrong password is 403,
 * never a second 401). Requests other than REGISTER are not challenged: anyone who can reach the server
 * can send a MESSAGE or INVITE to a registered user. It is no open relay, though: it forwards only to
 * users of its own domain and within dialogs it record-routed. The server listens on loopback by
 * default; put authentication of other requests in place before binding it to a reachable address.
 *
 * <p>Bindings live in memory and lapse by themselves; a restart forgets them and user agents register
 * again. Each request goes to the user's most recently refreshed contact (no forking).
 */
package io.sipgw.sip.registrar;
