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
}
