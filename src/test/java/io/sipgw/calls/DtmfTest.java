package io.sipgw.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class DtmfTest {

    @Test
    void keysAreDigitsStarHashAndAToD() {
        assertNull(Dtmf.digitsProblem("0123456789*#ABCDabcd"));
        assertNull(Dtmf.digitsProblem("1".repeat(Dtmf.MAX_DIGITS)));
        assertNotNull(Dtmf.digitsProblem(null));
        assertNotNull(Dtmf.digitsProblem(""));
        assertNotNull(Dtmf.digitsProblem("1".repeat(Dtmf.MAX_DIGITS + 1)));
        assertNotNull(Dtmf.digitsProblem("1\r\nSignal=9"), "no line breaks into the INFO body");
        assertNotNull(Dtmf.digitsProblem("E"));
        assertNotNull(Dtmf.digitsProblem("1 2"));
    }

    @Test
    void durationIsBoundedAndOptional() {
        assertNull(Dtmf.durationProblem(null));
        assertNull(Dtmf.durationProblem(Dtmf.MIN_DURATION_MS));
        assertNull(Dtmf.durationProblem(Dtmf.MAX_DURATION_MS));
        assertNotNull(Dtmf.durationProblem(Dtmf.MIN_DURATION_MS - 1));
        assertNotNull(Dtmf.durationProblem(Dtmf.MAX_DURATION_MS + 1));
        assertNotNull(Dtmf.durationProblem(-160));
    }

    @Test
    void bodyIsTheDtmfRelayFormat() {
        assertEquals("Signal=#\r\nDuration=160\r\n", Dtmf.body('#', 160));
        assertEquals("Signal=B\r\nDuration=250\r\n", Dtmf.body('b', 250));
    }
}
