package io.sipgw.users;

import io.sipgw.accounts.Account;
import io.sipgw.accounts.Accounts;
import io.sipgw.cluster.Cluster;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * At start: puts the provisioned accounts ({@code sipgw.accounts.file}) into the directory and marks everyone
 * offline, since no registration survives a restart of this single instance. The same with the embedded SIP
 * server or an external one: only the directory data is used here, the HA1 digests are the SIP server's. A
 * member joining a running cluster leaves presence as it is: the other members hold their users' registrations.
 */
@Singleton
@Startup
public class DirectorySeed {

    private static final Logger LOG = Logger.getLogger(DirectorySeed.class.getName());

    @Inject
    @ConfigProperty(name = "sipgw.accounts.file")
    String accountsFile;

    @Inject
    UserDirectory directory;

    @PersistenceContext(unitName = "sipgw")
    EntityManager em;

    @Inject
    Cluster cluster;

    @PostConstruct
    void seed() {
        if (cluster.isAlone()) {
            em.createQuery("UPDATE User u SET u.status = :offline WHERE u.status <> :offline")
                    .setParameter("offline", UserStatus.OFFLINE)
                    .executeUpdate();
        } else {
            LOG.info(() -> "Joined a running cluster " + cluster.members() + ": presence left as the other members hold it");
        }
        Path file = Path.of(accountsFile);
        if (!Files.isReadable(file)) {
            LOG.warning(() -> "No accounts file at " + file.toAbsolutePath() + "; the directory starts empty");
            return;
        }
        var accounts = Accounts.load(file);
        for (Account a : accounts) {
            String userId = a.user() + "@" + a.domain();
            directory.provision(userId, "sip:" + userId, a.displayName(), a.email(), a.phone());
        }
        LOG.info(() -> "Directory holds " + accounts.size() + " provisioned accounts from " + file.toAbsolutePath());
    }
}
