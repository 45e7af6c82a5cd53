package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import javax.sip.SipException;
import org.junit.jupiter.api.Test;

class LogLinesTest {

    @Test
    void controlCharactersAreShownNotWritten() {
        assertEquals("a\\r\\nb\\x00c\\x1b", LogLines.oneLine("a\r\nb\u0000c\u001b"));
    }

    @Test
    void longTextIsCutAndItsLengthNoted() {
        String line = LogLines.oneLine("x".repeat(10_000));

        assertEquals("x".repeat(LogLines.MAX) + "... (10000 characters)", line);
    }

    @Test
    void shortTextIsKept() {
        assertEquals("OPTIONS sip:127.0.0.1", LogLines.oneLine("OPTIONS sip:127.0.0.1"));
        assertEquals("null", LogLines.oneLine(null));
    }

    @Test
    void summaryNamesTheFailureAndItsRootCauseOnOneLine() {
        SipException failure = new SipException("Could not send\nthe response", new SocketException("Socket is closed"));

        String summary = LogLines.summary(failure);

        assertEquals("SipException: Could not send\\nthe response (cause SocketException: Socket is closed)", summary);
    }

    @Test
    void aFailureToSendIsUndeliverableOtherFailuresAreNot() {
        assertTrue(LogLines.undeliverable(new SipException("send failed", new IOException("Broken pipe"))));
        assertTrue(LogLines.undeliverable(new SocketException("Socket is closed")));
        assertFalse(LogLines.undeliverable(new IllegalStateException("a bug")));
        assertFalse(LogLines.undeliverable(new SipException("no cause")));
    }

    @Test
    void withFailureStaysNearTheLimit() {
        String line = LogLines.withFailure("m".repeat(5_000), new IllegalStateException("e".repeat(5_000)));

        assertTrue(line.length() <= LogLines.MAX + 40, "length " + line.length());
        assertTrue(line.contains("[IllegalStateException: eee"), line);
    }
}
