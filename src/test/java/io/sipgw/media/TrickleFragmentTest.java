package io.sipgw.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The browser's trickled candidates written as rtpengine's trickle ICE SDP fragment. */
class TrickleFragmentTest {

    /** A trickling browser's audio and video offer: no candidates yet, the placeholder address, trickle announced. */
    private static final String OFFER = String.join("\r\n",
            "v=0",
            "o=- 1 2 IN IP4 127.0.0.1",
            "s=-",
            "t=0 0",
            "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 0",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Fq3c",
            "a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS",
            "a=ice-options:trickle",
            "a=mid:0",
            "a=rtpmap:111 opus/48000/2",
            "a=rtpmap:0 PCMU/8000",
            "m=video 9 UDP/TLS/RTP/SAVPF 96",
            "c=IN IP4 0.0.0.0",
            "a=ice-ufrag:Fq3c",
            "a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS",
            "a=ice-options:trickle",
            "a=mid:1",
            "a=rtpmap:96 VP8/90000",
            "");

    private static final String HOST = "candidate:842163049 1 udp 2122260223 127.0.0.1 50000 typ host generation 0";
    private static final String SRFLX = "candidate:2 1 udp 1686052607 203.0.113.7 61000 typ srflx raddr 127.0.0.1 rport 50000";

    private static TrickleFragment fragment(String sdp) {
        return TrickleFragment.of(sdp).orElseThrow(() -> new AssertionError("no fragment for\n" + sdp));
    }

    @Test
    void startsWithVersionAndCarriesEverySectionWithItsMidAndTheBrowsersCredentials() {
        TrickleFragment fragment = fragment(OFFER);
        assertTrue(fragment.add(HOST, "1", 1));
        assertEquals(String.join("\r\n",
                "v=0",
                "m=audio 9 UDP/TLS/RTP/SAVPF 0",
                "a=mid:0",
                "a=ice-ufrag:Fq3c",
                "a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS",
                "m=video 9 UDP/TLS/RTP/SAVPF 0",
                "a=mid:1",
                "a=ice-ufrag:Fq3c",
                "a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS",
                "a=" + HOST,
                ""), fragment.text());
    }

    @Test
    void candidatesAccumulateAndEndOfCandidatesClosesItsSection() {
        TrickleFragment fragment = fragment(OFFER);
        assertTrue(fragment.add("a=" + HOST, "0", 0), "with a= too");
        assertTrue(fragment.add(SRFLX, "0", 0));
        assertFalse(fragment.add(HOST, "0", 0), "a candidate already sent changes nothing");
        assertTrue(fragment.add("", "0", 0));
        assertFalse(fragment.add(null, "0", 0), "the end is marked once");
        String audio = fragment.text().substring(0, fragment.text().indexOf("m=video"));
        assertTrue(audio.endsWith("a=" + HOST + "\r\na=" + SRFLX + "\r\na=end-of-candidates\r\n"), audio);
        assertFalse(fragment.text().substring(fragment.text().indexOf("m=video")).contains("a=candidate"),
                "the video section keeps none of the audio candidates");
    }

    @Test
    void theSectionIsFoundByMidElseByIndex() {
        TrickleFragment fragment = fragment(OFFER);
        assertTrue(fragment.add(HOST, null, 1));
        assertTrue(fragment.text().endsWith("a=mid:1\r\na=ice-ufrag:Fq3c\r\na=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS\r\na=" + HOST + "\r\n"));
        assertFalse(fragment.add(SRFLX, "7", 0), "a mid the SDP does not have");
        assertFalse(fragment.add(SRFLX, null, 2), "an index the SDP does not have");
        assertFalse(fragment.add(SRFLX, null, null));
    }

    @Test
    void candidatesTheSdpAlreadyHadStayInTheirSection() {
        String sdp = OFFER.replace("a=mid:0\r\n", "a=mid:0\r\na=" + HOST + "\r\na=end-of-candidates\r\n");
        TrickleFragment fragment = fragment(sdp.replace("m=audio 9 ", "m=audio 50000 ").replaceFirst("c=IN IP4 0.0.0.0", "c=IN IP4 127.0.0.1"));
        assertTrue(fragment.add(HOST, "1", 1));
        String text = fragment.text();
        assertTrue(text.contains("a=mid:0\r\na=ice-ufrag:Fq3c\r\na=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS\r\na=" + HOST
                + "\r\na=end-of-candidates\r\nm=video"), text);
        assertFalse(fragment.add(HOST, "0", 0), "already in the SDP");
    }

    @Test
    void sessionLevelCredentialsAreUsedForEachSection() {
        String sdp = OFFER.replace("a=group:BUNDLE 0 1\r\n", "a=group:BUNDLE 0 1\r\na=ice-ufrag:Sess\r\na=ice-pwd:SessionPasswordSessionPass\r\n")
                .replace("a=ice-ufrag:Fq3c\r\na=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS\r\n", "");
        assertEquals(2, fragment(sdp).text().split("a=ice-ufrag:Sess\r\na=ice-pwd:SessionPasswordSessionPass\r\n", -1).length - 1);
    }

    @Test
    void noFragmentWhereRtpengineWouldTakeItForAFullOffer() {
        // a real port and address without a=ice-options:trickle on the m-line: rtpengine did not register trickle ICE
        String announcedAtSessionOnly = OFFER.replace("m=audio 9 ", "m=audio 50000 ").replaceFirst("c=IN IP4 0.0.0.0", "c=IN IP4 127.0.0.1")
                .replaceFirst("a=ice-options:trickle\r\n", "").replace("t=0 0\r\n", "t=0 0\r\na=ice-options:trickle\r\n");
        assertTrue(TrickleFragment.of(announcedAtSessionOnly).isEmpty());
        // nor does the placeholder address alone: rtpengine 10.5 reads only the m-section's ice-options
        assertTrue(TrickleFragment.of(OFFER.replaceFirst("a=ice-options:trickle\r\n", "")).isEmpty());
        assertTrue(TrickleFragment.of(OFFER.replace("m=video 9 ", "m=video 0 ")).isEmpty(), "a rejected section has no ICE at rtpengine");
        assertTrue(TrickleFragment.of(OFFER.replace("a=mid:1\r\n", "")).isEmpty(), "no mid");
        assertTrue(TrickleFragment.of(OFFER.replace("a=ice-pwd:b6kN0mWqgN3jXo9G1kUFW6nS", "a=ice-pwd:bad\"pwd")).isEmpty());
        assertTrue(TrickleFragment.of("not sdp").isEmpty());
        assertTrue(TrickleFragment.of(null).isEmpty());
    }

    @Test
    void linesThatAreNotPrintableCandidatesOrTooManyAreLeftOut() {
        TrickleFragment fragment = fragment(OFFER);
        assertFalse(fragment.add("candidate:1 1 udp 1 127.0.0.1 1 typ host\r\na=ice-ufrag:evil", "0", 0));
        assertFalse(fragment.add("candidate:1 1 udp 1 127.0.0.1 1 typ host\u0000", "0", 0));
        assertFalse(fragment.add("ice-ufrag:evil", "0", 0), "only candidate lines");
        assertFalse(fragment.add("candidate:" + "x".repeat(TrickleFragment.MAX_CANDIDATE), "0", 0));
        for (int i = 0; i < TrickleFragment.MAX_CANDIDATES; i++) {
            assertTrue(fragment.add("candidate:" + i + " 1 udp 1 127.0.0.1 " + (1000 + i) + " typ host", i % 2 == 0 ? "0" : "1", null));
        }
        assertFalse(fragment.add(HOST, "0", 0), "beyond " + TrickleFragment.MAX_CANDIDATES);
        assertTrue(fragment.add("", "1", 1), "the end still counts");
        assertTrue(fragment.text().length() < TrickleFragment.MAX_BYTES);
    }
}
