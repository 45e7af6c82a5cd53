package io.sipgw.testing;

import java.io.File;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rtpengine (Debian package rtpengine-daemon) on loopback for a test class, started and stopped by
 * server-config/rtpengine/rtpengine.sh with its run folder (pid file, log) under
 * {@code target/rtpengine-it}. There is no skipping: CI installs rtpengine, so a missing binary fails
 * the test with the command that installs it.
 */
public final class Rtpengine implements AutoCloseable {

    private final Path script;
    private final Path runDir;
    private final InetSocketAddress ng;

    private Rtpengine(Path script, Path runDir, InetSocketAddress ng) {
        this.script = script;
        this.runDir = runDir;
        this.ng = ng;
    }

    /** Starts rtpengine with its ng socket on a free loopback port and media ports mediaMin..mediaMax. */
    public static Rtpengine start(String name, int mediaMin, int mediaMax) {
        if (!onPath("rtpengine")) {
            throw new AssertionError("rtpengine is not installed: apt-get install rtpengine-daemon "
                    + "(Debian 12; .ci/run installs it; not the 'rtpengine' metapackage, which pulls a kernel module)");
        }
        Path basedir = Path.of(System.getProperty("it.basedir", "."));
        Path script = basedir.resolve("server-config/rtpengine/rtpengine.sh");
        Path runDir = Path.of(System.getProperty("it.build.dir", "target"), "rtpengine-it", name);
        int port = freeUdpPort();
        String out = run(List.of(script.toString(), "start", runDir.toString(), Integer.toString(port)),
                "RTPENGINE_PORT_MIN", Integer.toString(mediaMin), "RTPENGINE_PORT_MAX", Integer.toString(mediaMax));
        if (!out.strip().equals(Integer.toString(port))) {
            throw new AssertionError("rtpengine.sh start printed '" + out.strip() + "', expected " + port);
        }
        return new Rtpengine(script, runDir, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** The ng control socket. */
    public InetSocketAddress ng() {
        return ng;
    }

    /** rtpengine's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(runDir.resolve("rtpengine.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        run(List.of(script.toString(), "stop", runDir.toString()));
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int freeUdpPort() {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free UDP port on loopback", e);
        }
    }

    private static String run(List<String> command, String... environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            for (int i = 0; i + 1 < environment.length; i += 2) {
                builder.environment().put(environment[i], environment[i + 1]);
            }
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 30 s");
            }
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (" + process.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
