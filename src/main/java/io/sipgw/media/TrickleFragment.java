package io.sipgw.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;
import java.util.regex.Pattern;
import javax.sdp.Attribute;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SdpParseException;
import javax.sdp.SessionDescription;

/**
 * The browser's side of an anchored call as rtpengine's trickle ICE SDP fragment ({@link NgClient#fragment}):
 * read from the browser's own SDP (each m-section's mid, ICE ufrag and password, and the candidates it
 * already carried), then added to with each candidate the browser trickles. Serial use only (one call's
 * signalling line).
 *
 * <p>The fragment's shape follows what rtpengine 10.5 does with it, measured against the real daemon
 * (docs/architecture.md, "Media relay", and README "Media relay"):
 * <ul>
 * <li>It starts with {@code v=0}: rtpengine takes the first line of a fragment that does not start with
 * {@code v=} as the start of the session and drops it, so an RFC 8840 sdpfrag beginning with
 * {@code a=ice-ufrag} lost its ufrag and every candidate with it.</li>
 * <li>It holds every m-section of the browser's SDP, in order, each with its mid, ufrag, password and all
 * candidates known for it so far: rtpengine finds the section by mid, but then also applies the fragment's
 * n-th section to the browser's n-th media, so a fragment with only the video section gave the video
 * candidate to the audio stream as well; and a section without candidates stops that stream's own ICE
 * checks ("nothing to do") until the browser's checks start them again.</li>
 * <li>rtpengine ignores a fragment's section for a stream that did not announce trickle ICE, and then
 * goes on to treat it as a full offer for that stream (codecs and addresses from the fragment); it
 * recognises only {@code a=ice-options:trickle} on the m-section (not at session level, and not the
 * placeholder address 0.0.0.0 port 9). So a fragment is only built when every section carries it, as
 * Chromium's offers and answers do; for other SDP (Firefox puts it at session level) nothing is sent and
 * rtpengine learns the browser's address from its ICE checks alone.</li>
 * </ul>
 * {@code a=end-of-candidates} is carried in the section it ends; rtpengine 10.5 reads it but does nothing
 * with it.
 */
public final class TrickleFragment {

    /** Most candidates kept for one call (the SDP's and the trickled ones together). */
    public static final int MAX_CANDIDATES = 32;
    /** Longest fragment written; a candidate that would make it longer is left out. */
    public static final int MAX_BYTES = 16_384;
    /** Longest candidate line accepted (as {@code SipInput.MAX_CANDIDATE}). */
    public static final int MAX_CANDIDATE = 1_024;

    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]{1,256}");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~]{1,64}");

    private final List<Section> sections;
    private int candidates;

    private TrickleFragment(List<Section> sections) {
        this.sections = sections;
        this.candidates = sections.stream().mapToInt(s -> s.candidates.size()).sum();
    }

    /** One m-section of the browser's SDP. */
    private static final class Section {
        final String type;
        final String mid;
        final String ufrag;
        final String pwd;
        final List<String> candidates = new ArrayList<>();
        boolean ended;

        Section(String type, String mid, String ufrag, String pwd) {
            this.type = type;
            this.mid = mid;
            this.ufrag = ufrag;
            this.pwd = pwd;
        }
    }

    /**
     * The fragment state for the browser whose SDP (offer or answer) rtpengine has just been given; empty
     * when the SDP cannot be parsed or one of its m-sections cannot take fragments (rejected with port 0,
     * no mid, no or malformed ICE credentials, no {@code a=ice-options:trickle} on the m-section).
     */
    public static Optional<TrickleFragment> of(String browserSdp) {
        if (browserSdp == null || browserSdp.length() > MediaPolicy.MAX_SDP_LENGTH) {
            return Optional.empty();
        }
        try {
            SessionDescription session = SdpFactory.getInstance().createSessionDescription(browserSdp);
            @SuppressWarnings("unchecked")
            Vector<MediaDescription> media = session.getMediaDescriptions(false);
            if (media == null || media.isEmpty()) {
                return Optional.empty();
            }
            String sessionUfrag = session.getAttribute("ice-ufrag");
            String sessionPwd = session.getAttribute("ice-pwd");
            List<Section> sections = new ArrayList<>();
            int total = 0;
            for (MediaDescription description : media) {
                int port = description.getMedia().getMediaPort();
                String type = description.getMedia().getMediaType();
                String mid = description.getAttribute("mid");
                String ufrag = orElse(description.getAttribute("ice-ufrag"), sessionUfrag);
                String pwd = orElse(description.getAttribute("ice-pwd"), sessionPwd);
                if (port == 0 || type == null || !TOKEN.matcher(type).matches() || mid == null
                        || !TOKEN.matcher(mid).matches() || ufrag == null || !ICE_CHARS.matcher(ufrag).matches()
                        || pwd == null || !ICE_CHARS.matcher(pwd).matches()) {
                    return Optional.empty();
                }
                if (!announcesTrickle(description.getAttribute("ice-options"))) {
                    return Optional.empty();
                }
                Section section = new Section(type, mid, ufrag, pwd);
                @SuppressWarnings("unchecked")
                Vector<Attribute> attributes = description.getAttributes(false);
                for (Attribute attribute : attributes == null ? new Vector<Attribute>() : attributes) {
                    if ("candidate".equals(attribute.getName()) && attribute.getValue() != null) {
                        String line = "candidate:" + attribute.getValue().strip();
                        if (printable(line) && line.length() <= MAX_CANDIDATE && total < MAX_CANDIDATES) {
                            section.candidates.add(line);
                            total++;
                        }
                    } else if ("end-of-candidates".equals(attribute.getName())) {
                        section.ended = true;
                    }
                }
                sections.add(section);
            }
            return Optional.of(new TrickleFragment(sections));
        } catch (SdpParseException e) {
            return Optional.empty();
        } catch (SdpException e) {
            return Optional.empty();
        }
    }

    /**
     * Adds a trickled candidate (a {@code candidate:...} line, with or without {@code a=}; empty or null for
     * end-of-candidates) to the section named by {@code mid}, or by {@code mLineIndex} when the mid is absent.
     * Returns whether the fragment changed: false for a section the SDP does not have, a candidate already
     * known, an end already marked, a line that is not a printable candidate, or one beyond
     * {@link #MAX_CANDIDATES} / {@link #MAX_BYTES}.
     */
    public boolean add(String candidate, String mid, Integer mLineIndex) {
        Section section = section(mid, mLineIndex);
        if (section == null) {
            return false;
        }
        String line = candidate == null ? "" : candidate.strip();
        if (line.isEmpty()) {
            if (section.ended) {
                return false;
            }
            section.ended = true;
            return true;
        }
        if (line.startsWith("a=")) {
            line = line.substring(2);
        }
        if (!line.startsWith("candidate:") || line.length() > MAX_CANDIDATE || !printable(line)
                || section.candidates.contains(line) || candidates >= MAX_CANDIDATES
                || text().length() + line.length() + 4 > MAX_BYTES) {
            return false;
        }
        section.candidates.add(line);
        candidates++;
        return true;
    }

    /** The fragment for rtpengine: {@code v=0}, then every section with its mid, credentials and candidates. */
    public String text() {
        StringBuilder text = new StringBuilder("v=0\r\n");
        for (Section section : sections) {
            text.append("m=").append(section.type).append(" 9 UDP/TLS/RTP/SAVPF 0\r\n")
                    .append("a=mid:").append(section.mid).append("\r\n")
                    .append("a=ice-ufrag:").append(section.ufrag).append("\r\n")
                    .append("a=ice-pwd:").append(section.pwd).append("\r\n");
            for (String candidate : section.candidates) {
                text.append("a=").append(candidate).append("\r\n");
            }
            if (section.ended) {
                text.append("a=end-of-candidates\r\n");
            }
        }
        return text.toString();
    }

    private Section section(String mid, Integer mLineIndex) {
        if (mid != null && !mid.isEmpty()) {
            return sections.stream().filter(s -> s.mid.equals(mid)).findFirst().orElse(null);
        }
        if (mLineIndex != null && mLineIndex >= 0 && mLineIndex < sections.size()) {
            return sections.get(mLineIndex);
        }
        return null;
    }

    private static boolean announcesTrickle(String iceOptions) {
        if (iceOptions == null) {
            return false;
        }
        for (String option : iceOptions.trim().split("\\s+")) {
            if (option.toLowerCase(Locale.ROOT).equals("trickle")) {
                return true;
            }
        }
        return false;
    }

    private static boolean printable(String line) {
        return line.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
