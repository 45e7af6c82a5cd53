package io.sipgw.sip;

import java.util.ArrayList;
import java.util.List;
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
 * default address plus one per login address, created on first use.
 */
final class ListeningPoints {

    private static final Logger LOG = Logger.getLogger(ListeningPoints.class.getName());

    private final SipStack stack;
    private final SipListener listener;
    private final ConcurrentMap<String, SipProvider> providers = new ConcurrentHashMap<>();

    ListeningPoints(SipStack stack, SipListener listener) {
        this.stack = stack;
        this.listener = listener;
    }

    /** The provider of {@code ip:port} when it listens already, else null. */
    SipProvider find(String ip, int port) {
        return providers.get(key(ip, port));
    }

    /** See {@link SipUserAgent#providerFor}. */
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
        for (SipProvider provider : providers.values()) {
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
        providers.clear();
    }

    static String key(String ip, int port) {
        return (ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
