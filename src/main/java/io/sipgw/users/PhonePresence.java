package io.sipgw.users;

import io.sipgw.jpa.ConflictRetry;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.sip.registrar.EmbeddedSipServer;
import io.sipgw.sip.registrar.PhonesChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Presence of users who are reachable by a SIP phone or softphone registered at the embedded SIP server
 * rather than (or beside) an API login: such a user shows ONLINE while the phone stays registered, and
 * OFFLINE when its registration ends or lapses unless they are logged in through the API here. With an
 * external SIP server (Kamailio, a PBX) the gateway does not see phones' registrations, so presence
 * knows API logins only (README, "Presence").
 */
@ApplicationScoped
public class PhonePresence {

    @Inject
    UserDirectory directory;

    @Inject
    EmbeddedSipServer embedded;

    @Inject
    RegistrationTable registrations;

    void phonesChanged(@Observes PhonesChanged event) {
        String userId = event.userId();
        ConflictRetry.retrying(() -> directory.phonesChanged(userId, embedded.hasPhone(userId),
                registrations.find(userId).isPresent()));
    }
}
