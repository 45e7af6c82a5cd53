/**
 * Directory and presence: the {@code User} entity owns the presence rules; {@code UserDirectory} stores and
 * queries it and fires {@code PresenceChanged} (USER_STATUS_CHANGED to every other user) on each real
 * change; {@code UsersResource} is GET /users and GET /users/{userId}; {@code DirectorySeed} provisions
 * accounts at start.
 */
package io.sipgw.users;
