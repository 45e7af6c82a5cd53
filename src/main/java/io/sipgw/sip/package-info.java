/**
 * SIP for the gateway: the user agent's JAIN-SIP stack and its dispatch ({@code SipUserAgent}),
 * registrations of logged-in users at their SIP server with refresh and digest answers
 * ({@code Registrations}, {@code Registration}, {@code Digest}, {@code DigestChallenge}), SIP URIs as the
 * API receives them ({@code SipUri}) and the stack baseline every stack here starts from
 * ({@code StackProperties}, {@code JulStackLogger}). It knows no business component. The embedded SIP
 * server is {@link io.sipgw.sip.registrar}.
 */
package io.sipgw.sip;
