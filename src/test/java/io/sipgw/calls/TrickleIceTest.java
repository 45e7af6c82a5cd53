package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrickleIceTest {

    @Test
    void candidateSurvivesTheRoundTrip() {
        IceCandidate sent = new IceCandidate("candidate:1 1 UDP 2130706431 127.0.0.1 54321 typ host", 0, "audio");
        String body = TrickleIce.encode(sent);
        assertTrue(body.contains("a=mid:audio\r\n"), body);
        assertTrue(body.contains("a=candidate:1 1 UDP 2130706431 127.0.0.1 54321 typ host\r\n"), body);
        assertEquals(List.of(sent), TrickleIce.decode(body));
    }

    @Test
    void endOfCandidatesIsAnEmptyCandidate() {
        String body = TrickleIce.encode(new IceCandidate("", 0, "0"));
        assertTrue(body.contains("a=end-of-candidates"), body);
        List<IceCandidate> decoded = TrickleIce.decode(body);
        assertEquals(1, decoded.size());
        assertTrue(decoded.get(0).isEndOfCandidates());
        assertEquals("0", decoded.get(0).sdpMid());
    }

    @Test
    void fragmentWithSeveralSectionsKeepsTheirIndexes() {
        String body = "a=ice-options:trickle\r\nm=audio 9 RTP/AVP 0\r\na=mid:a\r\na=candidate:1 1 UDP 1 127.0.0.1 1000 typ host\r\n"
                + "m=audio 9 RTP/AVP 0\r\na=mid:b\r\na=candidate:2 1 UDP 1 127.0.0.1 2000 typ host\r\n";
        List<IceCandidate> decoded = TrickleIce.decode(body);
        assertEquals(new IceCandidate("candidate:2 1 UDP 1 127.0.0.1 2000 typ host", 1, "b"), decoded.get(1));
        assertEquals(0, decoded.get(0).sdpMLineIndex());
    }
}
