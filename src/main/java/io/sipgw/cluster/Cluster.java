package io.sipgw.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.topic.ITopic;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This instance's place in a cluster of gateways, through the Hazelcast member that Payara Micro runs
 * (JNDI {@code payara/Hazelcast}; nothing of our own is started). With {@code sipgw.cluster.enabled=false}
 * (the default) there is no cluster: {@link #publish} does nothing and {@link #subscribe} never calls back,
 * so a single instance runs exactly as without this class, also with {@code --nohazelcast}. With it true
 * the deployment fails unless Payara's Hazelcast is running, rather than silently running alone.
 *
 * <p>Messages are arrays of strings: Hazelcast serialises them itself, so no class of the application is
 * ever deserialised by the data grid (whose class loader is not the application's). A topic is a plain
 * Hazelcast {@link ITopic}: at most once, in order per publishing member, not stored; a member that is
 * not up when a message is published never sees it.
 */
@ApplicationScoped
public class Cluster {

    private static final Logger LOG = Logger.getLogger(Cluster.class.getName());
    /** Where Payara Server and Payara Micro bind their Hazelcast instance. */
    static final String HAZELCAST_JNDI = "payara/Hazelcast";

    @Inject
    @ConfigProperty(name = "sipgw.cluster.enabled", defaultValue = "false")
    boolean enabled;

    private HazelcastInstance hazelcast;
    private final Map<UUID, String> subscriptions = new ConcurrentHashMap<>();
    private final List<UUID> membershipListeners = new CopyOnWriteArrayList<>();
    /** Without a cluster: the maps {@link #sharedMap} and {@link #update} use, by name. */
    private final Map<String, ConcurrentMap<String, String[]>> localMaps = new ConcurrentHashMap<>();

    @PostConstruct
    void join() {
        if (!enabled) {
            return;
        }
        Object found;
        try {
            found = new InitialContext().lookup(HAZELCAST_JNDI);
        } catch (NamingException e) {
            found = null;
        }
        if (!(found instanceof HazelcastInstance instance) || !instance.getLifecycleService().isRunning()) {
            throw new IllegalStateException("sipgw.cluster.enabled is true but Payara's Hazelcast (" + HAZELCAST_JNDI
                    + ") is not running: start Payara Micro without --nohazelcast and --nocluster (see README, Running a cluster)");
        }
        hazelcast = instance;
        LOG.info(() -> "Cluster member " + hazelcast.getCluster().getLocalMember().getAddress() + " of cluster '"
                + hazelcast.getConfig().getClusterName() + "', members now: " + members());
    }

    @PreDestroy
    void leave() {
        if (hazelcast == null) {
            return;
        }
        subscriptions.forEach((id, topic) -> {
            try {
                hazelcast.getTopic(topic).removeMessageListener(id);
            } catch (RuntimeException e) { // the grid may be shutting down with the server
                LOG.log(Level.FINE, "Removing the listener of " + topic + " failed", e);
            }
        });
        subscriptions.clear();
        membershipListeners.forEach(id -> {
            try {
                hazelcast.getCluster().removeMembershipListener(id);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "Removing a membership listener failed", e);
            }
        });
        membershipListeners.clear();
    }

    /** Whether this instance is a member of a cluster of gateways. */
    public boolean enabled() {
        return hazelcast != null;
    }

    /** The addresses of the cluster's members, this one included; empty without a cluster. */
    public List<String> members() {
        if (hazelcast == null) {
            return List.of();
        }
        return hazelcast.getCluster().getMembers().stream().map(m -> m.getAddress().toString()).collect(Collectors.toList());
    }

    /**
     * Whether no other member is up: true without a cluster, and for the first member of a cluster. State
     * that a start clears because no SIP state survives a restart (presence, open calls, unanswered messages)
     * is cleared only then: a member joining a running cluster leaves the others' state alone.
     */
    public boolean isAlone() {
        return hazelcast == null || hazelcast.getCluster().getMembers().size() <= 1;
    }

    /** This member's id (its Hazelcast UUID), stable while it runs; null without a cluster. */
    public String localMemberId() {
        return hazelcast == null ? null : hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    /** Whether this is the oldest member of the cluster (Hazelcast's master); true without a cluster. */
    public boolean isOldestMember() {
        return hazelcast == null || hazelcast.getCluster().getMembers().iterator().next().localMember();
    }

    /**
     * A map every member sees (a Hazelcast {@code IMap}, partitioned with one backup): keys and values are
     * strings and string arrays only. Without a cluster, a map of this instance (the same for each name).
     */
    public ConcurrentMap<String, String[]> sharedMap(String name) {
        return hazelcast == null ? local(name) : hazelcast.getMap(name);
    }

    /** A value for {@link #update}: {@code value} is kept for {@code ttl}; a null value removes the entry. */
    public record Expiring(String[] value, Duration ttl) {
    }

    /**
     * Changes the entry {@code key} of the shared map {@code name} while holding the entry's cluster-wide lock
     * (a Hazelcast {@code IMap} lock, released after at most 10 s should this member die holding it), so that
     * no other member's update of the key is lost: {@code change} gets the current value (null if none) and
     * returns the new value with how long the map keeps it. Returns the value before. Without a cluster an
     * entry of this instance's map, and the time to live is not applied.
     */
    public String[] update(String name, String key, Function<String[], Expiring> change) {
        if (hazelcast == null) {
            String[][] before = new String[1][];
            local(name).compute(key, (k, old) -> {
                before[0] = old;
                return change.apply(old).value();
            });
            return before[0];
        }
        IMap<String, String[]> map = hazelcast.getMap(name);
        map.lock(key, 10, TimeUnit.SECONDS);
        try {
            String[] before = map.get(key);
            Expiring next = change.apply(before);
            if (next.value() == null) {
                map.delete(key);
            } else {
                map.set(key, next.value(), Math.max(1, next.ttl().toMillis()), TimeUnit.MILLISECONDS);
            }
            return before;
        } finally {
            try {
                map.unlock(key);
            } catch (IllegalMonitorStateException e) { // the lease ran out first: someone else may hold it now
                LOG.warning(() -> "Lock of " + key + " in " + name + " expired before the update finished");
            }
        }
    }

    private ConcurrentMap<String, String[]> local(String name) {
        return localMaps.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    }

    /**
     * Calls {@code handler} with the id of every member that leaves the cluster (shut down, or gone silent
     * and removed by Hazelcast's failure detection), on one of Hazelcast's event threads: hand long work
     * off. Nothing happens without a cluster.
     */
    public void onMemberLeft(Consumer<String> handler) {
        if (hazelcast == null) {
            return;
        }
        membershipListeners.add(hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                LOG.info(() -> "Cluster member " + event.getMember().getAddress() + " joined; members now: " + members());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                LOG.info(() -> "Cluster member " + event.getMember().getAddress() + " left; members now: " + members());
                handler.accept(event.getMember().getUuid().toString());
            }
        }));
    }

    /** Sends {@code fields} to the subscribers of {@code topic} on every other member; nothing without a cluster. */
    public void publish(String topic, String... fields) {
        if (hazelcast == null) {
            return;
        }
        try {
            hazelcast.<String[]>getTopic(topic).publish(fields);
        } catch (RuntimeException e) { // local delivery already happened; the grid's trouble is not the caller's
            LOG.log(Level.WARNING, "Publishing on cluster topic " + topic + " failed", e);
        }
    }

    /**
     * Calls {@code handler} with every message another member publishes on {@code topic}, on one of
     * Hazelcast's event threads (keep it short, never block); messages this member published are not
     * handed back. Nothing happens without a cluster. Removed when the application stops.
     */
    public void subscribe(String topic, Consumer<List<String>> handler) {
        if (hazelcast == null) {
            return;
        }
        ITopic<String[]> t = hazelcast.getTopic(topic);
        UUID id = t.addMessageListener(message -> {
            Member from = message.getPublishingMember();
            if (from != null && from.localMember()) {
                return;
            }
            try {
                handler.accept(Arrays.asList(message.getMessageObject()));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Handling a message of cluster topic " + topic + " failed", e);
            }
        });
        subscriptions.put(id, topic);
    }
}
