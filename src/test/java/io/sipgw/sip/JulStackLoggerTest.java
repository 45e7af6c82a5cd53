package io.sipgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.core.LogLevels;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JulStackLoggerTest {

    private final Logger jul = Logger.getLogger(JulStackLogger.LOGGER_NAME);
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final JulStackLogger logger = new JulStackLogger();
    private Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(capture);
    }

    @AfterEach
    void release() {
        jul.removeHandler(capture);
        jul.setLevel(previousLevel);
    }

    @Test
    void stackLevelsMapToJulLevels() {
        logger.logError("e");
        logger.logWarning("w");
        logger.logInfo("message trace");
        logger.logDebug("d");
        logger.logTrace("t");

        assertEquals(List.of(Level.SEVERE, Level.WARNING, Level.FINE, Level.FINER, Level.FINEST),
                records.stream().map(LogRecord::getLevel).toList());
    }

    @Test
    void tlsSetupWarningsAreOnlyFine() {
        logger.logWarning("TLS server settings will be inactive - TLS key store will use JVM defaults");

        assertEquals(Level.FINE, records.get(0).getLevel());
    }

    @Test
    void enabledLevelsFollowTheJulLogger() {
        jul.setLevel(Level.INFO);

        assertTrue(logger.isLoggingEnabled());
        assertTrue(logger.isLoggingEnabled(LogLevels.TRACE_WARN));
        assertFalse(logger.isLoggingEnabled(LogLevels.TRACE_INFO));
        assertFalse(logger.isLoggingEnabled(LogLevels.TRACE_DEBUG));
    }

    @Test
    void disabledLoggerLogsNothing() {
        logger.disableLogging();
        logger.logError("hidden");

        assertTrue(records.isEmpty());
        assertFalse(logger.isLoggingEnabled());
    }

    @Test
    void aPacketQuotedInAnErrorIsOneLineOfAtMost500CharactersWithoutStackTrace() {
        String packet = "INVITE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1\r\nX-Fake-Log: SEVERE forged\r\n"
                + "A".repeat(60_000);

        logger.logError("bad message " + packet, new java.text.ParseException("cannot parse", 3));

        LogRecord severe = records.stream().filter(r -> r.getLevel() == Level.SEVERE).findFirst().orElseThrow();
        String line = severe.getMessage();
        assertFalse(line.contains("\n") || line.contains("\r"), line);
        assertTrue(line.length() <= LogLines.MAX + 40, "length " + line.length());
        assertTrue(line.contains("ParseException: cannot parse"), line);
        assertTrue(line.contains("(60"), "the full length is noted: " + line);
        assertEquals(null, severe.getThrown());
        // the stack trace stays available to whoever turns FINE on
        assertTrue(records.stream().anyMatch(r -> r.getLevel() == Level.FINE && r.getThrown() != null));
    }

    @Test
    void warningsAreCutToOneLineToo() {
        logger.logWarning("first line\nsecond line");

        assertEquals("first line\\nsecond line", records.get(0).getMessage());
    }
}
