package io.sipgw.calls;

import io.sipgw.media.MediaPolicy;
import io.sipgw.media.MediaRelay;
import io.sipgw.media.NgClient;
import io.sipgw.media.TrickleFragment;
import io.sipgw.sip.RegistrationTable;
import io.sipgw.sip.SipUri;
import io.sipgw.sip.registrar.EmbeddedSipServer;
import io.sipgw.work.WorkerPool;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The calls' use of the media relay (docs/architecture.md, "Media relay"): the {@link MediaPolicy} decision
 * for an offer, and rtpengine's {@code offer}, {@code answer} and {@code delete} keyed by the gateway's
 * callId with the fixed tags {@link #OFFERER} and {@link #ANSWERER}. Without a relay
 * ({@code sipgw.media.relay=none}) nothing is anchored and only the policy's REFUSE and
 * {@link MediaPolicy#answerFits} matter.
 */
@ApplicationScoped
public class MediaBridge {

    private static final Logger LOG = Logger.getLogger(MediaBridge.class.getName());

    /** rtpengine's from-tag: the side that made the offer. */
    static final String OFFERER = "offerer";
    /** rtpengine's to-tag: the side that answers. */
    static final String ANSWERER = "answerer";

    @Inject
    MediaRelay relay;

    @Inject
    RegistrationTable registrations;

    @Inject
    EmbeddedSipServer embedded;

    @Inject
    WorkerPool executor;

    @Inject
    @ConfigProperty(name = "sipgw.media.anchor", defaultValue = "webrtc-to-plain")
    String anchor;

    private MediaPolicy policy;

    @PostConstruct
    void init() {
        policy = new MediaPolicy(relay.rtpengine().isPresent(), MediaPolicy.Anchoring.of(anchor));
    }

    /** A bridge with this policy and no relay client (unit tests). */
    static MediaBridge of(MediaPolicy policy) {
        MediaBridge bridge = new MediaBridge();
        bridge.policy = policy;
        return bridge;
    }

    MediaPolicy policy() {
        return policy;
    }

    /**
     * What the callee of an outgoing call speaks, as far as this instance knows: a user logged in through
     * the API (a registration of the gateway's user agent) is a browser; a user with a contact at the
     * embedded SIP server only is taken for a SIP phone when a relay is configured (so the call is
     * anchored); anything else (a SIP URI beyond the gateway) is unknown. Without a relay such a contact is
     * unknown too: SIP clients that speak WebRTC SDP register there as well, so the offer is tried end to
     * end and an answer that does not fit ends the call (BYE, FAILED) instead of connecting in silence.
     */
    MediaPolicy.Answerer answererOf(SipUri to) {
        if (registrations.find(to.userId()).isPresent()) {
            return MediaPolicy.Answerer.WEBRTC;
        }
        if (policy.relay() && embedded.hasContact(to.user(), to.host())) {
            return MediaPolicy.Answerer.PLAIN;
        }
        return MediaPolicy.Answerer.UNKNOWN;
    }

    /**
     * The decision for an offer. SDP the policy cannot read (it passed {@code Sdp.requireAudio}, so it is
     * not garbage) flows end to end as before the relay existed; rtpengine would refuse it anyway.
     */
    MediaPolicy.Plan plan(String offer, MediaPolicy.Answerer answerer) {
        try {
            return policy.forOffer(offer, answerer);
        } catch (IllegalArgumentException e) {
            LOG.fine(() -> "SDP not classified, media end to end: " + e.getMessage());
            return Leg.DIRECT;
        }
    }

    /** Whether an answer fits the plan (an unparsable answer does not). */
    static boolean fits(MediaPolicy.Plan plan, String answer) {
        try {
            return MediaPolicy.answerFits(plan, answer);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** rtpengine's {@code offer}: the offer rewritten for the answerer ({@code NgException} when it fails). */
    String offer(String callId, String sdp, Map<String, Object> flags) {
        return client().offer(callId, OFFERER, sdp, flags).sdp().orElseThrow();
    }

    /** rtpengine's {@code answer}: the answer rewritten for the offerer. */
    String answer(String callId, String sdp, Map<String, Object> flags) {
        return client().answer(callId, OFFERER, ANSWERER, sdp, flags).sdp().orElseThrow();
    }

    /**
     * The browser's trickled candidates to rtpengine as a trickle ICE SDP fragment, from the party tagged
     * {@code fromTag} ({@link #OFFERER} or {@link #ANSWERER}); {@code toTag} is the other party's tag once
     * rtpengine knows it, else null. Only with {@code sipgw.media.rtpengine.trickle=true}. Best effort: a
     * failure is logged, and rtpengine still learns the browser's address from its ICE checks. Runs in the
     * call's serial line.
     */
    void trickle(String callId, String fromTag, String toTag, TrickleFragment fragment) {
        Optional<NgClient> client = relay.rtpengine();
        if (client.isEmpty() || !relay.trickle()) {
            // sipgw.media.rtpengine.trickle off (the default): rtpengine learns the browser's address from
            // its ICE checks alone
            return;
        }
        try {
            client.get().fragment(callId, fromTag, toTag, fragment.text());
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "rtpengine did not take the trickled candidates of " + callId
                    + " (it learns the browser's address from its ICE checks)", e);
        }
    }

    /** rtpengine's {@code delete} on the worker pool, best effort (an unknown call is fine). */
    void delete(String callId) {
        Optional<NgClient> client = relay.rtpengine();
        if (client.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            try {
                client.get().delete(callId);
            } catch (RuntimeException e) {
                LOG.log(Level.INFO, "rtpengine delete of " + callId + " failed (its media timeout ends it)", e);
            }
        });
    }

    /**
     * rtpengine's {@code delete} of a call a previous run left open, on the worker pool: most such calls
     * were never anchored, so rtpengine not knowing the call is the usual answer (logged at FINE).
     */
    void deleteLeftover(String callId) {
        Optional<NgClient> client = relay.rtpengine();
        if (client.isEmpty()) {
            return;
        }
        executor.execute(() -> {
            try {
                client.get().delete(callId);
                LOG.info(() -> "rtpengine: deleted the media of " + callId + ", left by a previous run or a lost cluster member");
            } catch (RuntimeException e) {
                LOG.fine(() -> "rtpengine holds no media of " + callId + ": " + e.getMessage());
            }
        });
    }

    private NgClient client() {
        return relay.rtpengine().orElseThrow(() -> new IllegalStateException("no media relay configured"));
    }
}
