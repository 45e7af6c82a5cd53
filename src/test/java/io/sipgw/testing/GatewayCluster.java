package io.sipgw.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Two gateway processes, members {@code A} and {@code B}, on a Payara Micro cluster of their own (Payara's
 * Hazelcast over TCP on loopback), sharing one database and one token key pair, as an operator would run them
 * (README "Running a cluster"); for the tests of the {@code cluster} profile. Each member has its HTTP and
 * Hazelcast ports for the cluster's life and its data folder {@code <prefix>-a} or {@code <prefix>-b} in the
 * build folder; a member started again after a kill gets the options of its first start and a new SIP port.
 */
public final class GatewayCluster implements AutoCloseable {

    /** What a member logs once it sees both, e.g. "members now: [[127.0.0.1]:5901, [127.0.0.1]:5902]". */
    private static final Pattern TWO_MEMBERS = Pattern.compile("members now: \\[\\[127\\.0\\.0\\.1\\]:\\d+, \\[127\\.0\\.0\\.1\\]:\\d+\\]");

    private final Path buildDir;
    private final String prefix;
    private final int registrarPort;
    private final List<String> memberOptions;
    private final String clusterMembers;
    private final String clusterName;
    private final Map<String, Integer> hazelcastPorts;
    private final Map<String, Integer> httpPorts;
    private final Map<String, List<String>> firstOptions = new HashMap<>();
    private final Map<String, String> latestLogs = new HashMap<>();
    private final Map<String, GatewayProcess> latest = new HashMap<>();
    private final List<GatewayProcess> started = new ArrayList<>();

    /**
     * Picks the members' ports and writes the key pair to {@code <prefix>-keys}; starts nothing.
     *
     * @param prefix        names the data folders, logs and key folder in the build folder (e.g. {@code it-cluster})
     * @param databaseUrl   the JDBC URL of the PostgreSQL database both members use (role {@code sipgw})
     * @param registrarPort the SIP registrar every member registers its users at (the member started with
     *                      {@code -Dsipgw.registrar.enabled=true} runs it)
     */
    public GatewayCluster(String prefix, String databaseUrl, int registrarPort) throws IOException, GeneralSecurityException {
        this.buildDir = Path.of(System.getProperty("it.build.dir"));
        this.prefix = prefix;
        this.registrarPort = registrarPort;
        this.hazelcastPorts = Map.of("A", FreePorts.find(), "B", FreePorts.find());
        this.httpPorts = Map.of("A", FreePorts.find(), "B", FreePorts.find());
        Path keys = writeKeyPair(buildDir.resolve(prefix + "-keys"));
        // Hazelcast's failure detection, tightened so that a killed member is removed within seconds
        this.memberOptions = List.of("-Dhazelcast.heartbeat.interval.seconds=1", "-Dhazelcast.max.no.heartbeat.seconds=5",
                "-Dsipgw.cluster.enabled=true", "-Dsipgw.db.url=" + databaseUrl, "-Dsipgw.db.user=sipgw",
                "-Dsipgw.jwt.private-key.location=" + keys.resolve("private.pem"),
                "-Dsipgw.jwt.public-key.location=" + keys.resolve("public.pem"));
        // a cluster of its own (name and members), on loopback
        this.clusterMembers = "tcpip:127.0.0.1:" + hazelcastPorts.get("A") + ",127.0.0.1:" + hazelcastPorts.get("B");
        this.clusterName = "sipgw-" + prefix + "-" + httpPorts.get("A");
    }

    /** The loopback HTTP port of member {@code A} or {@code B}. */
    public int httpPort(String member) {
        return port(httpPorts, member);
    }

    /**
     * Starts member {@code A} or {@code B} with the cluster's options and then {@code jvmOptions} (e.g.
     * {@code -Dsipgw.registrar.enabled=true}), its log in {@code <log>.log} in the build folder, and waits
     * until the WAR is deployed.
     */
    public GatewayProcess start(String member, String log, String... jvmOptions) throws IOException, InterruptedException {
        List<String> jvm = new ArrayList<>(memberOptions);
        jvm.addAll(List.of(jvmOptions));
        firstOptions.putIfAbsent(member, List.copyOf(jvm));
        return launch(member, log, jvm);
    }

    /** Starts {@code member} again (after a kill) with the options of its first start, its log in {@code <log>.log}. */
    public GatewayProcess restart(String member, String log) throws IOException, InterruptedException {
        List<String> jvm = firstOptions.get(member);
        if (jvm == null) {
            throw new IllegalStateException(member + " was never started");
        }
        return launch(member, log, jvm);
    }

    private GatewayProcess launch(String member, String log, List<String> jvm) throws IOException, InterruptedException {
        // Payara's address picker skips loopback interfaces, so the public address is given
        List<String> micro = List.of("--clustermode", clusterMembers, "--clustername", clusterName,
                "--startport", String.valueOf(port(hazelcastPorts, member)), "--hzpublicaddress", "127.0.0.1",
                "--nohostaware", "--name", member);
        GatewayProcess process = GatewayProcess.start(buildDir.resolve(prefix + "-" + member.toLowerCase(Locale.ROOT)),
                log, httpPort(member), FreePorts.find(), registrarPort, jvm, micro);
        started.add(process);
        latest.put(member, process);
        latestLogs.put(member, log);
        return process;
    }

    /** Fails unless the log of {@code member}'s latest start says it sees both members (it joined the other). */
    public void assertSeesBothMembers(String member) throws IOException {
        GatewayProcess process = latest.get(member);
        if (process == null) {
            throw new IllegalStateException(member + " was never started");
        }
        if (!TWO_MEMBERS.matcher(process.log()).find()) {
            throw new AssertionError(member + " does not see both members of the cluster; see "
                    + buildDir.resolve(latestLogs.get(member) + ".log"));
        }
    }

    /** Stops every member process this cluster started (SIGTERM; a killed one is already gone), in start order. */
    @Override
    public void close() throws InterruptedException {
        InterruptedException interrupted = null;
        for (GatewayProcess process : started) {
            try {
                process.close();
            } catch (InterruptedException e) {
                interrupted = e; // the others are still stopped
            }
        }
        if (interrupted != null) {
            throw interrupted;
        }
    }

    private static int port(Map<String, Integer> ports, String member) {
        Integer port = ports.get(member);
        if (port == null) {
            throw new IllegalArgumentException("no member " + member + " (A or B)");
        }
        return port;
    }

    /** The cluster's one token key pair, as an operator would provide it (PEM files). */
    private static Path writeKeyPair(Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        return dir;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
