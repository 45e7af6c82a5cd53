package io.sipgw.sip;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who holds a registration here, read on every request made on a user's behalf. {@link Registrations} (a
 * singleton session bean: it runs the SIP exchanges, refreshes and removals) is the only writer. The reads
 * live in this plain CDI bean because a call through a session bean costs the EJB container's invocation
 * path and a JTA transaction, about 4 % of an authenticated request in the profile of issue 15, for what is
 * one hash lookup.
 */
@ApplicationScoped
public class RegistrationTable {

    private final ConcurrentMap<String, Registration> byUser = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Registration> byContactUser = new ConcurrentHashMap<>();

    public Optional<Registration> find(String userId) {
        return Optional.ofNullable(byUser.get(userId));
    }

    /**
     * The user's registration, for a request made on their behalf.
     *
     * @throws NotRegisteredException when the user holds none (AUTH_FAILED: log in again)
     */
    public Registration require(String userId) {
        Registration registration = byUser.get(userId);
        if (registration == null) {
            throw new NotRegisteredException(userId);
        }
        return registration;
    }

    /** The registration whose Contact carries this user part: maps an incoming request to its user. */
    public Optional<Registration> findByContactUser(String contactUser) {
        return Optional.ofNullable(byContactUser.get(contactUser));
    }

    public int size() {
        return byUser.size();
    }

    /** The maps themselves, for {@link Registrations}: by userId. */
    ConcurrentMap<String, Registration> byUserMap() {
        return byUser;
    }

    /** By the user part of the gateway's Contact. */
    ConcurrentMap<String, Registration> byContactUserMap() {
        return byContactUser;
    }
}
