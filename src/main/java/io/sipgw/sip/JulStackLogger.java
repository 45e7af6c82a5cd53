package io.sipgw.sip;

import gov.nist.core.StackLogger;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes JAIN-SIP's own logging to java.util.logging, logger {@value #LOGGER_NAME}, so the stack never
 * needs log4j (Payara has none). Installed through {@code gov.nist.javax.sip.STACK_LOGGER} by
 * {@link StackProperties#baseline(String)}.
 *
 * <p>Levels: fatal and error are SEVERE, warning is WARNING. JAIN-SIP's INFO level carries a trace of
 * every SIP message sent and received, so it maps to FINE; debug maps to FINER and trace to FINEST. Set
 * {@code io.sipgw.sip.stack} to FINE to see the SIP traffic.
 *
 * <p>What JAIN-SIP logs at WARNING and SEVERE is often about a peer's packet (a parse error quoting the
 * whole message, a send to a connection the peer closed): it is logged as one line of at most
 * {@value LogLines#MAX} characters ({@link LogLines#oneLine}), the exception summarised on that line, and
 * its stack trace only at FINE, so a hostile packet can neither flood the log nor add lines to it.
 *
 * <p>sipgw opens no TLS listening point, so the warnings every new stack gives about missing TLS key and
 * trust stores are logged at FINE rather than alarming the operator at each start.
 */
public class JulStackLogger implements StackLogger {

    public static final String LOGGER_NAME = "io.sipgw.sip.stack";

    private static final Logger LOG = Logger.getLogger(LOGGER_NAME);
    private static final List<String> TLS_SETUP_WARNINGS = List.of("using default tls security policy",
            "Using default keystore type", "Using default truststore type", "TLS server settings will be inactive",
            "TLS trust settings will be inactive");

    private volatile boolean enabled = true;

    /** Public no-argument constructor: JAIN-SIP instantiates the class by name. */
    public JulStackLogger() {
    }

    static Level julLevel(int stackLevel) {
        if (stackLevel <= TRACE_ERROR) {
            return Level.SEVERE;
        }
        if (stackLevel <= TRACE_WARN) {
            return Level.WARNING;
        }
        if (stackLevel <= TRACE_INFO) {
            return Level.FINE;
        }
        if (stackLevel <= TRACE_DEBUG) {
            return Level.FINER;
        }
        return Level.FINEST;
    }

    private boolean loggable(Level level) {
        return enabled && LOG.isLoggable(level);
    }

    private void log(Level level, String message, Throwable error) {
        if (level.intValue() >= Level.WARNING.intValue()) {
            if (loggable(level)) {
                LOG.log(level, LogLines.withFailure(message, error));
            }
            if (error != null && loggable(Level.FINE)) {
                LOG.log(Level.FINE, "stack trace of the " + level + " above", error);
            }
        } else if (loggable(level)) {
            LOG.log(level, message, error);
        }
    }

    @Override
    public boolean isLoggingEnabled() {
        return loggable(Level.SEVERE);
    }

    @Override
    public boolean isLoggingEnabled(int logLevel) {
        return loggable(julLevel(logLevel));
    }

    @Override
    public void logFatalError(String message) {
        log(Level.SEVERE, message, null);
    }

    @Override
    public void logError(String message) {
        log(Level.SEVERE, message, null);
    }

    @Override
    public void logError(String message, Exception ex) {
        log(Level.SEVERE, message, ex);
    }

    @Override
    public void logException(Throwable ex) {
        log(Level.SEVERE, String.valueOf(ex.getMessage()), ex);
    }

    @Override
    public void logWarning(String message) {
        boolean tlsSetup = message != null && TLS_SETUP_WARNINGS.stream().anyMatch(message::startsWith);
        log(tlsSetup ? Level.FINE : Level.WARNING, message, null);
    }

    @Override
    public void logInfo(String message) {
        log(Level.FINE, message, null);
    }

    @Override
    public void logDebug(String message) {
        log(Level.FINER, message, null);
    }

    @Override
    public void logDebug(String message, Exception ex) {
        log(Level.FINER, message, ex);
    }

    @Override
    public void logTrace(String message) {
        log(Level.FINEST, message, null);
    }

    @Override
    public void logStackTrace() {
        logStackTrace(TRACE_DEBUG);
    }

    @Override
    public void logStackTrace(int traceLevel) {
        log(julLevel(traceLevel), "stack trace", new Throwable("stack trace (not an error)"));
    }

    @Override
    public int getLineCount() {
        return 0;
    }

    @Override
    public void disableLogging() {
        enabled = false;
    }

    @Override
    public void enableLogging() {
        enabled = true;
    }

    @Override
    public void setBuildTimeStamp(String buildTimeStamp) {
        log(Level.FINE, "JAIN-SIP build " + buildTimeStamp, null);
    }

    @Override
    public void setStackProperties(Properties stackProperties) {
        // levels come from java.util.logging configuration, not from stack properties
    }

    @Override
    public String getLoggerName() {
        return LOGGER_NAME;
    }
}
