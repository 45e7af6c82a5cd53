package io.sipgw.auth;

import java.util.Set;

/**
 * This member took over the SIP registrations of a cluster member that left ({@link RegistrationTakeover}),
 * fired once per member that left, on the member that took over (the oldest left), after every registration
 * it could take over is registered here.
 *
 * @param memberId the id of the member that left
 * @param userIds the users now registered here in its place (those that could not be taken over are missing)
 */
public record RegistrationsTakenOver(String memberId, Set<String> userIds) {
}
