package io.sipgw.auth;

import io.sipgw.cluster.Cluster;
import io.sipgw.throttle.FailureRecord;
import io.sipgw.throttle.FailureRecords;
import io.sipgw.throttle.ThrottleSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The REST login throttle's records in a cluster: the Hazelcast map {@value #MAP}, so that failed logins
 * through any member count on every member and a lock holds on all of them. Each key is changed under its
 * cluster-wide lock ({@link Cluster#update}) and kept only until there is nothing left to remember of it
 * (its time to live: the end of its window of failures, or its last lock plus the longest lock), so the map
 * sweeps itself. At most {@code maxTracked} keys, as on a single instance: when full, new keys are not tracked.
 * Locks end by the members' clocks: keep them in sync (NTP), as for tokens.
 */
final class SharedLoginFailures implements FailureRecords {

    private static final Logger LOG = Logger.getLogger(SharedLoginFailures.class.getName());
    static final String MAP = "sipgw.login-failures";

    private final Cluster cluster;
    private final ThrottleSettings settings;

    SharedLoginFailures(Cluster cluster, ThrottleSettings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    @Override
    public FailureRecord get(String key) {
        String[] fields = map().get(key);
        return fields == null ? null : FailureRecord.fromStrings(fields);
    }

    @Override
    public FailureRecord update(String key, Instant now, UnaryOperator<FailureRecord> change) {
        ConcurrentMap<String, String[]> map = map();
        if (!map.containsKey(key) && map.size() >= settings.maxTracked()) {
            LOG.warning(() -> "login throttle full (" + settings.maxTracked() + " entries): not tracking " + key);
            return null;
        }
        String[] before = cluster.update(MAP, key, old -> {
            FailureRecord next = change.apply(old == null ? FailureRecord.NONE : FailureRecord.fromStrings(old));
            Duration ttl = Duration.between(now, next.forgettableFrom(settings));
            return new Cluster.Expiring(ttl.isNegative() || ttl.isZero() ? null : next.toStrings(), ttl);
        });
        return before == null ? FailureRecord.NONE : FailureRecord.fromStrings(before);
    }

    @Override
    public void remove(String key) {
        map().remove(key);
    }

    @Override
    public int size() {
        return map().size();
    }

    private ConcurrentMap<String, String[]> map() {
        return cluster.sharedMap(MAP);
    }
}
