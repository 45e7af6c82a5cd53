/**
 * Directory and presence: the {@code User} entity owns the presence rules; {@code UserDirectory} stores and
 * queries it and fires {@code PresenceChanged} (USER_STATUS_CHANGED to every other user) on each real
 * change; {@code UsersResource} is GET /users and GET /users/{userId}; {@code DirectorySeed} provisions
 * the accounts of {@code io.sipgw.accounts} at start, whichever SIP server is in use.
 */
package io.sipgw.users;
