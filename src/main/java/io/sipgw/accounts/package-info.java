/**
 * The provisioned accounts: the accounts file ({@code sipgw.accounts.file}, format in
 * {@link io.sipgw.accounts.Accounts}) and one {@link io.sipgw.accounts.Account} per address of record, with
 * the HA1 digest of its password and its directory data (display name, e-mail, phone). Two readers, neither
 * depending on the other: the directory seed ({@code users.DirectorySeed}) takes the directory data whatever
 * the SIP server is, and the embedded SIP server ({@code sip.registrar}) takes the HA1 digests of its domain.
 * An external server (Kamailio) gets its subscriber table from the same file
 * ({@code server-config/kamailio/kamailio.sh}). A leaf: imports nothing of the gateway.
 */
package io.sipgw.accounts;
