import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the CPU samples (jdk.ExecutionSample) of a JFR recording and writes, beside it, the collapsed stacks
 * (one line per distinct stack, root first, and its sample count: the input format of flame graph tools),
 * an SVG flame graph of them, and a text summary: the hottest methods by self time, and the share of
 * samples whose stack passes through each of the given markers (substrings of "class.method").
 *
 * <p>Usage: {@code java bench/tools/JfrFlame.java recording.jfr [thread-name-filter] [marker ...]}. Only samples of
 * threads whose name contains the filter count ("-" for all). Run with the JDK's own java (source launch).
 * {@code -Dlast=SECONDS} keeps only the samples of the recording's last SECONDS (the measured run at the end
 * of a benchmark, without the server's boot and the warm-up runs).
 */
public class JfrFlame {

    public static void main(String[] args) throws IOException {
        Path jfr = Path.of(args[0]);
        String threadFilter = args.length > 1 && !args[1].equals("-") ? args[1] : null;
        List<String> markers = args.length > 2 ? List.of(args).subList(2, args.length) : List.of();
        Map<String, Long> collapsed = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> marked = new TreeMap<>();
        long total = 0;
        List<RecordedEvent> events = RecordingFile.readAllEvents(jfr);
        long last = Long.getLong("last", 0);
        long from = last <= 0 ? Long.MIN_VALUE : events.stream()
                .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample"))
                .mapToLong(e -> e.getStartTime().toEpochMilli()).max().orElse(0) - last * 1000;
        for (RecordedEvent e : events) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null
                    || e.getStartTime().toEpochMilli() < from) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            if (threadFilter != null && (thread == null || !thread.contains(threadFilter))) {
                continue;
            }
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            total++;
            StringBuilder stack = new StringBuilder();
            Set<String> hit = new LinkedHashSet<>();
            for (int i = frames.size() - 1; i >= 0; i--) {
                String name = frameName(frames.get(i));
                if (stack.length() > 0) {
                    stack.append(';');
                }
                stack.append(name);
                for (String m : markers) {
                    if (name.contains(m)) {
                        hit.add(m);
                    }
                }
            }
            collapsed.merge(stack.toString(), 1L, Long::sum);
            self.merge(frameName(frames.get(0)), 1L, Long::sum);
            for (String m : hit) {
                marked.merge(m, 1L, Long::sum);
            }
        }
        final long all = total;
        String base = jfr.toString().replaceAll("\\.jfr$", "");
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(base + ".collapsed")))) {
            collapsed.forEach((k, v) -> out.println(k + " " + v));
        }
        Files.writeString(Path.of(base + ".svg"), svg(collapsed, total, jfr.getFileName().toString()));
        StringBuilder summary = new StringBuilder("samples: " + total + (threadFilter == null ? "" : " (threads *" + threadFilter + "*)") + "\n\nself time, top 40:\n");
        self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(40)
                .forEach(en -> summary.append(String.format("%6.2f %%  %s%n", 100.0 * en.getValue() / all, en.getKey())));
        summary.append("\nstacks through each marker:\n");
        for (String m : markers) {
            summary.append(String.format("%6.2f %%  %s%n", 100.0 * marked.getOrDefault(m, 0L) / total, m));
        }
        Files.writeString(Path.of(base + "-summary.txt"), summary);
        System.out.print(summary);
    }

    private static String frameName(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    /** A flame graph: one rectangle per frame, as wide as its share of the samples, callers below callees. */
    private static String svg(Map<String, Long> collapsed, long total, String title) {
        Node root = new Node("all");
        collapsed.forEach((stack, n) -> {
            Node at = root;
            at.count += n;
            for (String frame : stack.split(";")) {
                at = at.children.computeIfAbsent(frame, Node::new);
                at.count += n;
            }
        });
        int width = 1600, row = 16;
        int depth = root.depth();
        int height = (depth + 2) * row + 20;
        StringBuilder s = new StringBuilder();
        s.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" font-size=\"11\">%n", width, height));
        s.append(String.format("<text x=\"4\" y=\"14\">%s: %d samples (hover for names)</text>%n", esc(title), total));
        draw(s, root, 0, width, height - row - 4, row, Math.max(total, 1), width);
        return s.append("</svg>\n").toString();
    }

    private static void draw(StringBuilder s, Node node, double x, double w, int y, int row, long total, int width) {
        if (w < 2.5) { // narrower than 2.5 pixels: left out, which keeps the file small
            return;
        }
        int hue = 20 + Math.abs(node.name.hashCode() % 40);
        s.append(String.format("<g><title>%s (%d samples, %.2f %%)</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"hsl(%d,80%%,60%%)\" stroke=\"white\" stroke-width=\"0.3\"/>",
                esc(node.name), node.count, 100.0 * node.count / total, x, y, w, row - 1, hue));
        int chars = (int) (w / 7);
        if (chars > 3) {
            String label = node.name.length() > chars ? node.name.substring(0, chars - 2) + ".." : node.name;
            s.append(String.format("<text x=\"%.1f\" y=\"%d\">%s</text>", x + 2, y + row - 4, esc(label)));
        }
        s.append("</g>\n");
        double cx = x;
        List<Node> kids = new ArrayList<>(node.children.values());
        kids.sort(Comparator.comparing(k -> k.name));
        for (Node k : kids) {
            double kw = (double) width * k.count / total;
            draw(s, k, cx, kw, y - row, row, total, width);
            cx += kw;
        }
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static final class Node {
        final String name;
        long count;
        final Map<String, Node> children = new HashMap<>();

        Node(String name) {
            this.name = name;
        }

        int depth() {
            int d = 0;
            for (Node c : children.values()) {
                d = Math.max(d, c.depth());
            }
            return d + 1;
        }
    }
}
