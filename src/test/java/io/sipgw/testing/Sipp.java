package io.sipgw.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A plain SIP phone played by SIPp (Debian package sip-tester): runs the scenarios of
 * {@code src/test/sipp} against the SIP server under test, one SIPp process at a time, all on
 * 127.0.0.1 and on ports Failsafe reserved ({@code it.sipp.port}, {@code it.sipp.control.port},
 * {@code it.sipp.media.port}: SIPp always binds a control and two media sockets). Each run writes its
 * message trace, errors and screen into its own folder under {@code target/sipp}.
 */
public final class Sipp {

    /** Password of every test account. */
    public static final String PASSWORD = "secret123";

    private final String user;
    private final String server;
    private final Path scenarios = Path.of(System.getProperty("it.basedir"), "src", "test", "sipp");
    private final Path runs = Path.of(System.getProperty("it.build.dir"), "sipp");
    private final int port = Integer.getInteger("it.sipp.port");
    private final int controlPort = Integer.getInteger("it.sipp.control.port");
    private final int mediaPort = Integer.getInteger("it.sipp.media.port");

    /** A phone of test account {@code user}@127.0.0.1 using the SIP server at 127.0.0.1:{@code serverPort}. */
    public Sipp(String user, int serverPort) {
        this.user = user;
        this.server = "127.0.0.1:" + serverPort;
    }

    /** {@code sip:user@127.0.0.1}, the phone's address of record. */
    public String aor() {
        return "sip:" + user + "@127.0.0.1";
    }

    /** Registers the phone's contact (this SIPp port) for {@code expires} seconds; 0 removes it. */
    public void register(int expires) {
        Run run = start("register.xml", "-key", "expires", Integer.toString(expires));
        run.assertSucceeded(Duration.ofSeconds(20));
    }

    /**
     * Starts a scenario (one call, {@code -m 1}) with {@code user}, {@code domain} and credentials set;
     * {@code args} adds SIPp options such as {@code -s service} or {@code -key name value}.
     */
    public Run start(String scenario, String... args) {
        Path dir;
        try {
            Files.createDirectories(runs);
            dir = Files.createTempDirectory(runs, scenario.replace(".xml", "") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("sipp", "-sf", scenarios.resolve(scenario).toString(),
                "-i", "127.0.0.1", "-p", Integer.toString(port), "-cp", Integer.toString(controlPort),
                "-mp", Integer.toString(mediaPort), "-m", "1", "-timeout", "30", "-timeout_error", "-nostdin",
                "-trace_err", "-trace_msg", "-au", user, "-ap", PASSWORD,
                "-key", "user", user, "-key", "domain", "127.0.0.1"));
        command.addAll(List.of(args));
        int service = command.indexOf("-s");
        if (service >= 0 && service + 1 < command.size()) {
            // SIPp answers challenges with uri=sip:remote_ip:remote_port unless told (it adds the "sip:"); a
            // server that checks the digest URI against the Request-URI (RFC 2617 3.2.2.5, the embedded one)
            // wants the latter
            command.addAll(List.of("-auth_uri", command.get(service + 1) + "@127.0.0.1"));
        }
        command.add(server);
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("screen.txt").toFile())
                    .start();
            return new Run(scenario, dir, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start sipp (is the sip-tester package installed?)", e);
        }
    }

    /** One SIPp process running a scenario. */
    public static final class Run {
        private final String scenario;
        private final Path dir;
        private final Process process;

        Run(String scenario, Path dir, Process process) {
            this.scenario = scenario;
            this.dir = dir;
            this.process = process;
        }

        /** SIPp's exit code (0: the call succeeded); kills it and fails after {@code timeout}. */
        public int await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new AssertionError(scenario + " did not finish within " + timeout + "\n" + report());
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** Waits for the scenario and fails with SIPp's traces unless it exited 0. */
        public void assertSucceeded(Duration timeout) {
            int code = await(timeout);
            if (code != 0) {
                throw new AssertionError(scenario + " failed, sipp exit code " + code + "\n" + report());
            }
        }

        /** Ends the process if it still runs (after a failed test). */
        public void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits until SIPp's message trace shows {@code text} (SIPp writes it as messages come and go). */
        public void awaitTrace(String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!messages().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError(scenario + ": no \"" + text + "\" in the trace within " + timeout + "\n" + report());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }

        /** Every SIP message SIPp sent and received (its -trace_msg log). */
        public String messages() {
            return read("_messages.log");
        }

        private String report() {
            return "errors:\n" + read("_errors.log") + "\nmessages:\n" + messages() + "\nscreen (tail):\n" + tail(read("screen.txt"));
        }

        private String read(String suffix) {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).map(f -> {
                    try {
                        return Files.readString(f, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        return "(unreadable " + f + ")";
                    }
                }).collect(Collectors.joining("\n"));
            } catch (IOException e) {
                return "(no " + suffix + " in " + dir + ")";
            }
        }

        private static String tail(String text) {
            return text.length() <= 3000 ? text : text.substring(text.length() - 3000);
        }
    }
}
