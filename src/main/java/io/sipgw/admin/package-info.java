/**
 * Admin statistics and call records (spec section 7, admin role only): {@code Statistics} counts real
 * users, calls and messages in the database; {@code StatsResource} and {@code AdminCallsResource} serve them.
 */
package io.sipgw.admin;
