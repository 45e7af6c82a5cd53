package io.sipgw.media;

import java.util.Locale;
import java.util.Objects;
import java.util.Vector;
import javax.sdp.Media;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * Decides from SDP whether a call's media goes through the relay (is anchored at rtpengine), flows end
 * to end, or cannot work at all.
 *
 * <p>Each side of a call is {@link Kind#WEBRTC} when its SDP is something a browser accepts as is (every
 * active media line has ICE credentials and a DTLS fingerprint, at media or session level), otherwise
 * {@link Kind#PLAIN} (RTP/AVP without ICE or DTLS, as desk phones and most softphones send; also SDES-SRTP
 * or ICE without DTLS, which a browser refuses just the same). Two sides of different kinds cannot talk
 * directly. {@link Anchoring#WEBRTC_TO_PLAIN} (the default) anchors exactly those calls;
 * {@link Anchoring#ALWAYS} anchors every call (hides the parties' addresses from each other, helps with
 * NAT) as long as a relay is configured.
 *
 * <p>The offer is decided before it leaves, with the answerer's kind as far as the caller knows it
 * ({@link #forOffer}); the answer is checked against the offer when it comes ({@link #answerFits}).
 */
public final class MediaPolicy {

    /** Longest SDP looked at; larger is refused (a WebRTC audio and video offer is a few kilobytes). */
    public static final int MAX_SDP_LENGTH = 64 * 1024;

    /** What one side of a call speaks. */
    public enum Kind {
        /** ICE and DTLS-SRTP on every active media line: a browser. */
        WEBRTC,
        /** Anything else: plain RTP/AVP (or SDES-SRTP, or ICE without DTLS), a SIP phone. */
        PLAIN
    }

    /** The answerer's kind as known before the offer is sent. */
    public enum Answerer {
        /** A browser: one of the gateway's users. */
        WEBRTC,
        /** A SIP phone (e.g. registered at the embedded SIP server, not logged in through the API). */
        PLAIN,
        /** Not known (a SIP URI outside the gateway): most likely a SIP phone. */
        UNKNOWN
    }

    /** When to anchor media at the relay: {@code sipgw.media.anchor}. */
    public enum Anchoring {
        /** Only when one side is WebRTC and the other is not ({@code webrtc-to-plain}, the default). */
        WEBRTC_TO_PLAIN("webrtc-to-plain"),
        /** Every call ({@code always}). */
        ALWAYS("always");

        private final String setting;

        Anchoring(String setting) {
            this.setting = setting;
        }

        /** The setting's text. */
        public String setting() {
            return setting;
        }

        /** From the setting's text (case and surrounding blanks ignored; empty = the default). */
        public static Anchoring of(String setting) {
            String text = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
            if (text.isEmpty()) {
                return WEBRTC_TO_PLAIN;
            }
            for (Anchoring a : values()) {
                if (a.setting.equals(text)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(
                    "sipgw.media.anchor must be webrtc-to-plain or always, not '" + setting + "'");
        }
    }

    /** What to do with a call's media. */
    public enum Outcome {
        /** Media flows between the parties; SDP passes unchanged. */
        DIRECT,
        /** Through the relay: the offer to rtpengine's {@code offer}, the answer to its {@code answer}. */
        ANCHOR,
        /** The two sides cannot talk and there is no relay: refuse (488 to a phone, an error to the API). */
        REFUSE
    }

    /**
     * The decision for one offer. {@code offerer} is what the offer's SDP speaks; {@code answerer} what
     * the answer is expected to speak (for an unknown answerer: {@link Kind#PLAIN}). When anchoring, the
     * offer rewritten by the relay goes to the answerer, so it must be made to speak {@code answerer}, and
     * the answer rewritten by the relay must speak {@code offerer}.
     */
    public record Plan(Outcome outcome, Kind offerer, Kind answerer) {

        public Plan {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(offerer, "offerer");
            Objects.requireNonNull(answerer, "answerer");
        }

        public boolean anchored() {
            return outcome == Outcome.ANCHOR;
        }
    }

    private final boolean relay;
    private final Anchoring anchoring;

    /**
     * @param relay     whether a media relay is configured ({@code sipgw.media.relay} is not {@code none})
     * @param anchoring when to use it
     */
    public MediaPolicy(boolean relay, Anchoring anchoring) {
        this.relay = relay;
        this.anchoring = Objects.requireNonNull(anchoring, "anchoring");
    }

    public boolean relay() {
        return relay;
    }

    public Anchoring anchoring() {
        return anchoring;
    }

    /**
     * Decides before an offer goes to the answerer.
     *
     * @throws IllegalArgumentException for SDP that is missing, too large, unparsable or has no active
     *                                  media line
     */
    public Plan forOffer(String offerSdp, Answerer answerer) {
        Objects.requireNonNull(answerer, "answerer");
        Kind offerer = kindOf(offerSdp);
        Kind expected = answerer == Answerer.WEBRTC ? Kind.WEBRTC : Kind.PLAIN;
        boolean differ = offerer != expected;
        Outcome outcome;
        if (!relay) {
            // An unknown answerer may still speak what was offered (another WebRTC gateway): try it
            // end to end and let answerFits judge the answer.
            outcome = differ && answerer != Answerer.UNKNOWN ? Outcome.REFUSE : Outcome.DIRECT;
        } else if (anchoring == Anchoring.ALWAYS || differ) {
            outcome = Outcome.ANCHOR;
        } else {
            outcome = Outcome.DIRECT;
        }
        return new Plan(outcome, offerer, expected);
    }

    /**
     * Whether an answer fits a call whose media flows end to end ({@link Outcome#DIRECT}): it must speak
     * what the offer spoke. A WebRTC answer to a plain offer (or the reverse) would have both sides report
     * the call established while no audio flows: such a call is to be ended (BYE, or 488 and an error).
     * An anchored call's answer always fits: the relay rewrites it.
     *
     * @throws IllegalArgumentException for SDP that is missing, too large, unparsable or has no active
     *                                  media line
     */
    public static boolean answerFits(Plan plan, String answerSdp) {
        Objects.requireNonNull(plan, "plan");
        Kind answer = kindOf(answerSdp);
        return plan.anchored() || answer == plan.offerer();
    }

    /**
     * What an SDP body speaks: {@link Kind#WEBRTC} when every active (port not 0) media line has ICE
     * credentials ({@code a=ice-ufrag}) and a DTLS fingerprint ({@code a=fingerprint}), each at media or
     * session level; otherwise {@link Kind#PLAIN}.
     *
     * @throws IllegalArgumentException for SDP that is missing, too large, unparsable or has no active
     *                                  media line
     */
    public static Kind kindOf(String sdp) {
        if (sdp == null || sdp.isBlank()) {
            throw new IllegalArgumentException("SDP is required");
        }
        if (sdp.length() > MAX_SDP_LENGTH) {
            throw new IllegalArgumentException("SDP is longer than " + MAX_SDP_LENGTH + " characters");
        }
        String normalised = sdp.replace("\r\n", "\n").replace("\n", "\r\n");
        if (!normalised.endsWith("\r\n")) {
            normalised += "\r\n";
        }
        if (!normalised.startsWith("v=0\r\n")) {
            throw new IllegalArgumentException("not parsable SDP: it must start with v=0");
        }
        boolean active = false;
        boolean webrtc = true;
        try {
            SessionDescription session = SdpFactory.getInstance().createSessionDescription(normalised);
            boolean sessionIce = session.getAttribute("ice-ufrag") != null;
            boolean sessionDtls = session.getAttribute("fingerprint") != null;
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> media = session.getMediaDescriptions(false);
            for (MediaDescription m : media == null ? new Vector<MediaDescription>() : media) {
                Media line = m.getMedia();
                if (line == null || line.getMediaPort() == 0) {
                    continue; // a rejected or disabled stream
                }
                active = true;
                boolean ice = sessionIce || m.getAttribute("ice-ufrag") != null;
                boolean dtls = sessionDtls || m.getAttribute("fingerprint") != null;
                webrtc &= ice && dtls;
            }
        } catch (SdpException | RuntimeException e) {
            throw new IllegalArgumentException("not parsable SDP: " + e.getMessage(), e);
        }
        if (!active) {
            throw new IllegalArgumentException("SDP has no active m= line");
        }
        return webrtc ? Kind.WEBRTC : Kind.PLAIN;
    }
}
