package io.sipgw.auth;

import io.sipgw.cluster.Cluster;
import io.sipgw.sip.BindFailedException;
import io.sipgw.sip.Registration;
import io.sipgw.sip.RegistrationEnded;
import io.sipgw.sip.RegistrationFailedException;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.sip.Registrations;
import io.sipgw.sip.SipUri;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Failover of SIP registrations in a cluster: every member keeps what another member needs to register its
 * users again in the shared map {@value #MAP} (address of record, realm and HA1, how long the registration
 * is wanted, the user's tokens on that member), keyed by member and user. When a member leaves (shut down,
 * or killed and removed by Hazelcast's failure detection), the oldest surviving member registers each of its
 * users with the stored HA1 and a Contact of its own user agent, so that the SIP server routes their
 * messages and calls to it, takes their tokens into its sessions and holds the entries from then on. It keeps
 * trying a registration that fails for {@code sipgw.cluster.takeover-seconds} after the member left, and then
 * fires {@link RegistrationsTakenOver} (the {@code Outbox} sends the member's unanswered messages again through
 * these registrations). Without a cluster this bean does nothing.
 */
@Singleton
@Startup
@DependsOn("Registrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class RegistrationTakeover {

    private static final Logger LOG = Logger.getLogger(RegistrationTakeover.class.getName());
    /** The shared map: {@code memberId|userId -> [aor, realm, ha1, keepUntil, jti=exp,jti=exp...]}. */
    static final String MAP = "sipgw.registrations";
    private static final long RETRY_MS = 1000;

    @Inject
    Cluster cluster;

    @Inject
    Registrations registrations;

    @Inject
    RegistrationTable registrationTable;

    @Inject
    LiveSessions sessions;

    @Resource
    ManagedExecutorService executor;

    @Inject
    Event<RegistrationsTakenOver> takenOver;

    @Inject
    @ConfigProperty(name = "sipgw.cluster.takeover-seconds", defaultValue = "10")
    long takeoverSeconds;

    private ConcurrentMap<String, String[]> held;

    @PostConstruct
    void start() {
        held = cluster.sharedMap(MAP);
        cluster.onMemberLeft(member -> executor.submit(() -> takeOverFrom(member)));
    }

    /** Puts the user's registration and tokens on this member into the shared map, or removes them when gone. */
    public void publish(String userId) {
        if (!cluster.enabled()) {
            return;
        }
        String key = key(cluster.localMemberId(), userId);
        Map<String, Instant> tokens = sessions.tokens(userId);
        Registration registration = registrationTable.find(userId).orElse(null);
        Registration.Credentials credentials = registration == null ? null : registration.credentials();
        if (registration == null || tokens.isEmpty() || credentials.ha1() == null || registration.keepUntil() == null) {
            held.remove(key);
            return;
        }
        held.put(key, new String[] {registration.aor().toString(), credentials.realm(), credentials.ha1(),
                registration.keepUntil().toString(),
                tokens.entrySet().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(","))});
    }

    public void registrationEnded(@Observes RegistrationEnded event) {
        publish(event.userId());
    }

    /** The registrations {@code member} held: registered here again if this is the oldest member left. */
    void takeOverFrom(String member) {
        if (!cluster.isOldestMember()) {
            return;
        }
        Instant deadline = Instant.now().plusSeconds(takeoverSeconds);
        String prefix = member + "|";
        List<String> keys = new ArrayList<>();
        held.keySet().forEach(k -> {
            if (k.startsWith(prefix)) {
                keys.add(k);
            }
        });
        LOG.info(() -> "Member " + member + " left the cluster holding " + keys.size() + " registrations; taking them over");
        Set<String> users = new HashSet<>();
        for (String key : keys) {
            String[] entry = held.get(key);
            String userId = key.substring(prefix.length());
            if (entry != null && takeOver(userId, entry, deadline)) {
                users.add(userId);
            }
            held.remove(key);
        }
        try {
            takenOver.fire(new RegistrationsTakenOver(member, Set.copyOf(users)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Handing over the rest of member " + member + "'s work failed", e);
        }
    }

    /** Registers the user here in place of the member that left; true when the user is registered here now. */
    private boolean takeOver(String userId, String[] entry, Instant deadline) {
        try {
            SipUri aor = SipUri.parse(entry[0]);
            Instant keepUntil = Instant.parse(entry[3]);
            if (keepUntil.isBefore(Instant.now())) {
                return false; // nobody holds a token for it any more
            }
            while (true) {
                try {
                    registrations.takeOver(aor, new Registration.Credentials(entry[1], entry[2]), keepUntil);
                    break;
                } catch (RegistrationFailedException | BindFailedException e) {
                    if (Instant.now().plusMillis(RETRY_MS).isAfter(deadline)) {
                        LOG.warning(() -> "Could not take over the registration of " + userId + " within "
                                + takeoverSeconds + " s: " + e.getMessage());
                        return false;
                    }
                    TimeUnit.MILLISECONDS.sleep(RETRY_MS);
                }
            }
            if (!entry[4].isEmpty()) {
                for (String token : entry[4].split(",")) {
                    String[] jtiAndExp = token.split("=", 2);
                    sessions.add(userId, jtiAndExp[0], Instant.parse(jtiAndExp[1]));
                }
            }
            publish(userId);
            LOG.info(() -> "Took over the SIP registration of " + userId);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not take over the registration of " + userId, e);
        }
        return false;
    }

    private static String key(String member, String userId) {
        return member + "|" + userId;
    }
}
