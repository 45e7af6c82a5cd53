package io.sipgw.sip;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.ListeningPoint;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;

/**
 * The user agent's listening points, one UDP and one TCP per {@code host:port} sharing a provider: the
 * default address plus one per login address, created on first use. A login address is leased: each
 * login that asks for it takes a lease, a failed login gives it back, and the listening point closes when
 * the last lease is given back (so a refused login leaves no port open).
 */
final class ListeningPoints {

    private static final Logger LOG = Logger.getLogger(ListeningPoints.class.getName());

    private final SipStack stack;
    private final SipListener listener;
    private final ConcurrentMap<String, SipProvider> providers = new ConcurrentHashMap<>();
    /** Leases per login address (guarded by {@code providers}). */
    private final Map<String, Integer> leases = new HashMap<>();

    ListeningPoints(SipStack stack, SipListener listener) {
        this.stack = stack;
        this.listener = listener;
    }

    /** The provider of {@code ip:port} when it listens already, else null. */
    SipProvider find(String ip, int port) {
        return providers.get(key(ip, port));
    }

    /** The provider of {@code ip:port}, created when needed, with one more lease on it. */
    SipProvider lease(String ip, int port) throws BindFailedException {
        synchronized (providers) {
            SipProvider provider = providerFor(ip, port);
            leases.merge(key(ip, port), 1, Integer::sum);
            return provider;
        }
    }

    /** Gives one lease of {@code key} back; the last one closes the listening point. */
    void release(String key) {
        synchronized (providers) {
            Integer left = leases.computeIfPresent(key, (k, n) -> n > 1 ? n - 1 : null);
            if (left == null) {
                SipProvider provider = providers.remove(key);
                if (provider != null) {
                    close(provider);
                    LOG.fine(() -> "Closed the listening point " + key + ": no login uses it");
                }
            }
        }
    }

    /** The provider of {@code ip:port}, created on first use. */
    SipProvider providerFor(String ip, int port) throws BindFailedException {
        String key = key(ip, port);
        SipProvider existing = providers.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (providers) {
            existing = providers.get(key);
            if (existing != null) {
                return existing;
            }
            List<ListeningPoint> created = new ArrayList<>();
            try {
                created.add(stack.createListeningPoint(ip, port, ListeningPoint.UDP));
                created.add(stack.createListeningPoint(ip, port, ListeningPoint.TCP));
                SipProvider provider = stack.createSipProvider(created.get(0));
                provider.addListeningPoint(created.get(1));
                provider.addSipListener(listener);
                providers.put(key, provider);
                return provider;
            } catch (Exception e) {
                for (ListeningPoint lp : created) {
                    try {
                        stack.deleteListeningPoint(lp);
                    } catch (Exception cleanup) {
                        LOG.log(Level.FINE, "Cleanup of a half-created listening point failed", cleanup);
                    }
                }
                throw new BindFailedException(key, e);
            }
        }
    }

    /** Releases every provider and listening point (the stack stops next). */
    void closeAll() {
        synchronized (providers) {
            providers.values().forEach(this::close);
            providers.clear();
            leases.clear();
        }
    }

    private void close(SipProvider provider) {
        provider.removeSipListener(listener);
        try {
            ListeningPoint[] points = provider.getListeningPoints();
            stack.deleteSipProvider(provider);
            for (ListeningPoint lp : points) {
                stack.deleteListeningPoint(lp);
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Could not release a SIP listening point", e);
        }
    }

    static String key(String ip, int port) {
        return (ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
