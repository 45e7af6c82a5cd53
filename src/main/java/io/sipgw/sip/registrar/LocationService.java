package io.sipgw.sip.registrar;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Where each user can be reached: the contacts registered per user of the domain. Bindings lapse by
 * themselves: an expired one is never returned and is dropped at the user's next update. A user's
 * bindings are replaced as a whole, atomically, so concurrent REGISTERs for one user never interleave.
 *
 * <p>It also tells when a user gains a first or loses a last <em>phone</em> binding (one not made by the
 * gateway's own user agent, see {@link Binding#gateway}): {@link #onPhonesChanged}. A lapse is only noticed
 * by {@link #sweep}, which the owner runs every few seconds.
 */
public final class LocationService {

    private static final Comparator<Binding> MOST_RECENT_FIRST =
            Comparator.comparing(Binding::updatedAt).reversed();

    private final Clock clock;
    private final Map<String, Map<String, Binding>> bindingsByUser = new ConcurrentHashMap<>();
    /** The users last reported as having a phone binding. */
    private final Set<String> withPhone = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> phonesChanged = user -> { };

    public LocationService(Clock clock) {
        this.clock = clock;
    }

    /** The live bindings of {@code user}, most recently refreshed first. */
    public List<Binding> bindings(String user) {
        return live(bindingsByUser.get(user), clock.instant()).values().stream().sorted(MOST_RECENT_FIRST).toList();
    }

    /** Whether {@code user} has a live binding that a phone (not the gateway's user agent) registered. */
    public boolean hasPhone(String user) {
        return bindings(user).stream().anyMatch(b -> !b.gateway());
    }

    /**
     * Called with the user's name whenever {@link #hasPhone} turns true or false for them (on the thread
     * of the REGISTER or of {@link #sweep}; keep it short). The listener reads {@link #hasPhone} for the
     * current answer: calls for one user may come in quick succession.
     */
    public void onPhonesChanged(Consumer<String> listener) {
        this.phonesChanged = listener;
    }

    /**
     * Drops lapsed bindings and reports users whose last phone binding lapsed ({@link #onPhonesChanged});
     * also repairs any report a race may have got wrong.
     */
    public void sweep() {
        Instant now = clock.instant();
        for (String user : List.copyOf(bindingsByUser.keySet())) {
            bindingsByUser.computeIfPresent(user, (u, existing) -> {
                Map<String, Binding> live = live(existing, now);
                return live.isEmpty() ? null : live.size() == existing.size() ? existing : Map.copyOf(live);
            });
        }
        Set<String> users = new HashSet<>(withPhone);
        users.addAll(bindingsByUser.keySet());
        users.forEach(this::recheckPhones);
    }

    private synchronized void recheckPhones(String user) {
        boolean changed = hasPhone(user) ? withPhone.add(user) : withPhone.remove(user);
        if (changed) {
            phonesChanged.accept(user);
        }
    }

    /** The binding a request for {@code user} goes to: the most recently refreshed one. */
    public Optional<Binding> mostRecent(String user) {
        return bindings(user).stream().findFirst();
    }

    /**
     * Applies the contacts of one REGISTER (RFC 3261 section 10.3 step 7): adds or refreshes each contact,
     * removes those with 0 seconds.
     *
     * @return the bindings that result, most recent first
     * @throws OutOfOrderRegisterException if a contact is bound by the same Call-ID with a CSeq not lower
     *                                     than {@code cseq}; then nothing changes
     */
    public List<Binding> register(String user, String callId, long cseq, List<ContactUpdate> updates) {
        return register(user, callId, cseq, updates, false);
    }

    /**
     * As {@link #register(String, String, long, List)}, the contacts marked as the gateway's own when
     * {@code gateway} is true.
     */
    public List<Binding> register(String user, String callId, long cseq, List<ContactUpdate> updates, boolean gateway) {
        Instant now = clock.instant();
        List<String> touched = updates.stream().map(ContactUpdate::contactUri).toList();
        Map<String, Binding> result = update(user, callId, cseq, touched, bindings -> {
            for (ContactUpdate u : updates) {
                if (u.expiresSeconds() == 0) {
                    bindings.remove(u.contactUri());
                } else {
                    Instant expiresAt = now.plusSeconds(u.expiresSeconds());
                    bindings.put(u.contactUri(), new Binding(u.contactUri(), expiresAt, callId, cseq, now, gateway));
                }
            }
        });
        recheckPhones(user);
        return result.values().stream().sorted(MOST_RECENT_FIRST).toList();
    }

    /**
     * Removes every binding of {@code user} ({@code Contact: *} with {@code Expires: 0}).
     *
     * @throws OutOfOrderRegisterException as {@link #register}, checked against every binding
     */
    public void removeAll(String user, String callId, long cseq) {
        update(user, callId, cseq, null, Map::clear);
        recheckPhones(user);
    }

    /** Applies {@code change} to the live bindings after the CSeq check of the {@code touched} ones (all when null). */
    private Map<String, Binding> update(String user, String callId, long cseq, Collection<String> touched,
            Consumer<Map<String, Binding>> change) {
        Instant now = clock.instant();
        Map<String, Binding> result = bindingsByUser.compute(user, (u, existing) -> {
            Map<String, Binding> bindings = new HashMap<>(live(existing, now));
            for (Binding b : bindings.values()) {
                boolean concerned = touched == null || touched.contains(b.contactUri());
                if (concerned && b.callId().equals(callId) && cseq <= b.cseq()) {
                    throw new OutOfOrderRegisterException(b.contactUri());
                }
            }
            change.accept(bindings);
            return bindings.isEmpty() ? null : Map.copyOf(bindings);
        });
        return result == null ? Map.of() : result;
    }

    private static Map<String, Binding> live(Map<String, Binding> bindings, Instant now) {
        if (bindings == null) {
            return Map.of();
        }
        Map<String, Binding> live = new HashMap<>();
        bindings.forEach((uri, b) -> {
            if (!b.isExpired(now)) {
                live.put(uri, b);
            }
        });
        return live;
    }
}
