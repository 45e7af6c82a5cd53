package io.sipgw.sip.fuzz;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what the code under test logs at WARNING and above (every logger, through the root), so a
 * test can say that a hostile packet left at most one short line in the operator's log: no exception
 * stack, no multi-line dump of the packet.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    /** The longest line a log record of a hostile packet may leave. */
    public static final int MAX_LINE = 600;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    public LogCapture() {
        setLevel(Level.WARNING);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            records.add(record);
        }
    }

    /** Forgets what was captured so far. */
    public void clear() {
        records.clear();
    }

    /** Records at WARNING or above that carry a stack trace, span lines or are over {@link #MAX_LINE}. */
    public List<String> offending() {
        return records.stream().filter(r -> r.getThrown() != null || text(r).contains("\n") || text(r).length() > MAX_LINE)
                .map(r -> r.getLevel() + " " + r.getLoggerName() + ": "
                        + abbreviate(text(r)) + (r.getThrown() != null ? " [with stack trace of " + r.getThrown() + "]" : ""))
                .toList();
    }

    private static String text(LogRecord record) {
        return String.valueOf(record.getMessage());
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "... (" + text.length() + " characters)" : oneLine;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
