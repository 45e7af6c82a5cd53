/**
 * SIP configuration (spec section 6): {@code SipSettings} (one stored row, owns validation),
 * {@code SipSettingsStore}, {@code SipConfiguration} (stored values over the MicroProfile Config defaults),
 * {@code SipConfigResource} (GET for users, PUT for admins) and {@code SipSettingsAtStart}, which hands the
 * stored transport, next hop and registration lifetime to the SIP user agent when the application starts.
 */
package io.sipgw.config;
