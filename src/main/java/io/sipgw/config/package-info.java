/**
 * SIP configuration for clients (spec section 6): {@code SipSettings} (one stored row, owns validation),
 * {@code SipSettingsStore}, {@code SipConfiguration} (stored values over the MicroProfile Config defaults)
 * and {@code SipConfigResource} (GET for users, PUT for admins).
 */
package io.sipgw.config;
