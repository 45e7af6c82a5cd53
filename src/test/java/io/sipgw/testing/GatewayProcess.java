package io.sipgw.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The gateway WAR on a Payara Micro process of its own, for tests that must stop and start it (Arquillian
 * starts one server per test class and never restarts it). Loopback ports come from the
 * {@code it.restart.*} properties Failsafe passes; the data folder is the caller's, so it survives restarts.
 * The database is embedded Derby in that folder; under the postgres profile ({@code it.postgres.port} set)
 * it is a PostgreSQL database of that folder's own on the profile's cluster, unless the caller gives
 * {@code sipgw.db.url} itself (the cluster tests).
 */
public final class GatewayProcess implements AutoCloseable {

    private static final long BOOT_TIMEOUT_MS = 180_000;

    /**
     * Payara Micro's banner once every application has started, e.g. "Payara Micro 6.2025.10 (build 42) ready
     * in 13,737 (ms)". Not just "Payara Micro" and "ready" anywhere in the log: its first line names the
     * "Payara Micro Runtime directory" and a gateway whose SIP port is taken logs "not ready until then",
     * which together looked like the banner while the web module was still starting (answering 500).
     */
    private static final Pattern READY = Pattern.compile("Payara Micro \\S+ \\(build [^)]*\\) ready in");

    public static final int HTTP_PORT = Integer.getInteger("it.restart.http.port");
    public static final int SIP_PORT = Integer.getInteger("it.restart.sip.port");
    public static final int REGISTRAR_PORT = Integer.getInteger("it.restart.registrar.port");

    private final Process process;
    private final Path log;
    private final int httpPort;

    private GatewayProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts the gateway with the IT accounts, a database in {@code dataDir} and the given extra
     * {@code -D} options, and waits until the WAR is deployed.
     */
    public static GatewayProcess start(Path dataDir, String name, String... extraOptions) throws IOException, InterruptedException {
        return start(dataDir, name, HTTP_PORT, SIP_PORT, REGISTRAR_PORT, List.of(extraOptions), List.of("--nohazelcast"));
    }

    /**
     * Starts the gateway on the given loopback ports with the JVM options {@code jvmOptions} (after the
     * defaults, so they win) and the Payara Micro options {@code microOptions} (e.g. {@code --nohazelcast}, or
     * the cluster options of a cluster member), and waits until the WAR is deployed.
     */
    public static GatewayProcess start(Path dataDir, String name, int httpPort, int sipPort, int registrarPort,
                                       List<String> jvmOptions, List<String> microOptions) throws IOException, InterruptedException {
        String base = System.getProperty("it.basedir");
        Path buildDir = Path.of(System.getProperty("it.build.dir"));
        Files.createDirectories(dataDir);
        Path log = buildDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + buildDir,
                "-Dsipgw.data.dir=" + dataDir, "-Dsipgw.db.name=" + dataDir.resolve("sipgw-db"),
                "-Dderby.stream.error.file=" + buildDir.resolve(name + "-derby.log"),
                "-Dsipgw.sip.port=" + sipPort, "-Dsipgw.registrar.port=" + registrarPort,
                "-Dsipgw.accounts.file=" + base + "/src/test/resources/it-accounts.properties",
                "-Dsipgw.sip.request-timeout-ms=3000"));
        command.addAll(databaseOptions(dataDir, jvmOptions));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"), "--deploy", System.getProperty("it.war"),
                "--contextroot", "/", "--port", String.valueOf(httpPort),
                "--prebootcommandfile", base + "/server-config/pre-boot-commands.asadmin",
                "--postbootcommandfile", base + "/server-config/post-boot-commands.asadmin"));
        command.addAll(microOptions);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        GatewayProcess gateway = new GatewayProcess(process, log, httpPort);
        try {
            gateway.awaitDeployed();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    private void awaitDeployed() throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + BOOT_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (READY.matcher(text).find()) {
                if (!text.contains("sipgw was successfully deployed")) {
                    throw new AssertionError("the WAR did not deploy; see " + log);
                }
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("Payara Micro exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Payara Micro not ready within " + BOOT_TIMEOUT_MS + " ms; see " + log);
    }

    /**
     * Under the postgres profile: the options for a database named after {@code dataDir} on the profile's
     * PostgreSQL (made on first use and kept, so a restart on the same folder finds its data, as with Derby),
     * owned by the role the gateway logs in with. None otherwise, or when the caller chose a database.
     */
    private static List<String> databaseOptions(Path dataDir, List<String> jvmOptions) throws IOException {
        String port = System.getProperty("it.postgres.port", "");
        if (port.isBlank() || jvmOptions.stream().anyMatch(o -> o.startsWith("-Dsipgw.db.url="))) {
            return List.of();
        }
        String name = dataDir.getFileName().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (!name.matches("[a-z].*")) {
            name = "it_" + name;
        }
        String server = "jdbc:postgresql://127.0.0.1:" + port + "/";
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "")) {
            boolean exists;
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet r = q.executeQuery()) {
                    exists = r.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + name + " OWNER sipgw"); // name: [a-z0-9_] only, see above
                }
            }
        } catch (SQLException e) {
            throw new IOException("cannot make the database " + name + " on PostgreSQL port " + port, e);
        }
        return List.of("-Dsipgw.db.url=" + server + name, "-Dsipgw.db.user=sipgw");
    }

    public Api api() {
        return new Api("http://127.0.0.1:" + httpPort);
    }

    /** The server log so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Kills the server at once ({@code kill -9}): no shutdown hook, no application cleanup, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("Payara Micro survived SIGKILL for 30 s");
        }
    }

    /** Stops the server as an operator would (SIGTERM, so the application shuts down cleanly). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
