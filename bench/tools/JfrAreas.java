import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Splits the CPU samples of a JFR recording of the messaging or calls benchmark into the gateway's areas of
 * work, by the frames on each sample's stack, tested in this order: the event sockets (framing and sending
 * events, which runs after a store's commit and so inside its stack; reading client frames), the database
 * (the message and call stores' transactions with EJB, JTA, EclipseLink and Derby, and their commit after the
 * method returned; any other Derby or EclipseLink work), SIP (JAIN-SIP, the user
 * agent, the embedded SIP server), HTTP (the rest of an HTTP worker thread's work: Grizzly, HTTP/2, servlet
 * filters, Jersey, JSON-B, the resource), and the rest by thread name.
 *
 * <p>Usage: {@code java bench/tools/JfrAreas.java recording.jfr [lastSeconds]}: only the samples of the
 * recording's last seconds count when given (the measured run, without the boot and the warm-up runs).
 */
public class JfrAreas {

    public static void main(String[] args) throws IOException {
        List<RecordedEvent> samples = RecordingFile.readAllEvents(Path.of(args[0])).stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample") && e.getStackTrace() != null)
                .toList();
        long last = args.length > 1 ? Long.parseLong(args[1]) : 0;
        long end = samples.stream().mapToLong(e -> e.getStartTime().toEpochMilli()).max().orElse(0);
        Map<String, Long> areas = new TreeMap<>();
        long total = 0;
        for (RecordedEvent e : samples) {
            if (last > 0 && e.getStartTime().toEpochMilli() < end - last * 1000) {
                continue;
            }
            total++;
            areas.merge(area(e), 1L, Long::sum);
        }
        System.out.println(total + " samples");
        long n = total;
        areas.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(a -> System.out.printf("%6.1f %%  %s%n", 100.0 * a.getValue() / n, a.getKey()));
    }

    private static String area(RecordedEvent e) {
        StringBuilder stack = new StringBuilder();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            stack.append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName()).append('\n');
        }
        String s = stack.toString();
        String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
        if (s.contains("SocketRegistry.") || s.contains("EventBroadcaster.") || s.contains("EventsSocket.")
                || (s.contains("org.glassfish.tyrus") && !s.contains("TyrusServletFilter.doFilter"))) {
            return "event sockets (framing, sending, client frames)";
        }
        if (s.contains("MessageStore") || s.contains("CallStore") || s.contains("org.apache.derby")
                || s.contains("org.eclipse.persistence")) {
            return "database (message and call stores: EJB, JTA, EclipseLink, Derby)";
        }
        if (s.contains("gov.nist") || s.contains("io.sipgw.sip.")) {
            return "SIP (JAIN-SIP, user agent, embedded SIP server)";
        }
        if (thread.startsWith("http-thread-pool") || s.contains("org.glassfish.grizzly")) {
            return "HTTP (Grizzly, HTTP/2, servlet, Jersey, JSON-B, resources)";
        }
        return "other: " + thread.replaceAll("[0-9]+", "N");
    }
}
