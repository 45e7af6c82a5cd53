package io.sipgw.config;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;

/** The stored SIP settings row. */
@Stateless
public class SipSettingsStore {

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    public Optional<SipSettings> find() {
        return Optional.ofNullable(em.find(SipSettings.class, SipSettings.THE_ROW));
    }

    /** Validates and stores a change (see {@link SipSettings#update}); creates the row on first use. */
    public SipSettings update(SipConfigRequest change) {
        SipSettings settings = em.find(SipSettings.class, SipSettings.THE_ROW, LockModeType.PESSIMISTIC_WRITE);
        boolean fresh = settings == null;
        if (fresh) {
            settings = SipSettings.empty();
        }
        settings.update(change.sipServer(), change.transport(), change.expires(), change.outboundProxy(),
                change.stunServer(), change.turnServer(), Instant.now());
        if (fresh) {
            em.persist(settings);
        }
        return settings;
    }
}
