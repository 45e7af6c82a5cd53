package io.sipgw.sip.registrar;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import io.sipgw.testing.FreePorts;
import io.sipgw.throttle.ThrottleSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded SIP server against SIPVicious (Debian package {@code sipvicious}, installed by
 * {@code .ci/run}), the toolkit that scans VoIP networks for servers, extensions and weak passwords:
 * {@code svwar} learns no extension with any method, {@code svcrack} does not get through the digest
 * throttle to a password that it finds at once when it is first in its list. Loopback only: the tools
 * bind to 127.0.0.1 and target the server's loopback port.
 */
class SipViciousTest {

    private static final String DOMAIN = "127.0.0.1";
    private static final String PASSWORD = "secret123";
    /** Real accounts in the middle of the scanned ranges. */
    private static final List<String> USERS = List.of("1000", "1001", "2000", "alice");

    private SipServer server;
    private int port;

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() {
        port = FreePorts.find();
        List<Account> accounts = new ArrayList<>();
        for (String user : USERS) {
            accounts.add(new Account(user, DOMAIN, Digest.ha1(user, DOMAIN, PASSWORD), null, null, null));
        }
        server = new SipServer(new SipServerConfig(DOMAIN, port, DOMAIN, accounts, Duration.ofSeconds(300),
                Duration.ofSeconds(3600), ForeignRequests.REFUSE, ThrottleSettings.DEFAULTS));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    /** Runs a SIPVicious tool against the server (bound to loopback); its whole output. */
    private String sipvicious(String tool, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool, "-b", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(arguments));
        command.add("127.0.0.1");
        Path out = Files.createTempFile(dir, tool, ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(tool + " did not end within 120 s: " + Files.readString(out));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void svmapFindsTheServerButNotWhatItRuns() throws Exception {
        String output = sipvicious("svmap");
        assertTrue(output.contains("127.0.0.1:" + port), "the scan reaches the server: " + output);
        assertFalse(output.toLowerCase().contains("sipgw") || output.toLowerCase().contains("jain"),
                "no software name is given away: " + output);
    }

    @Test
    void svwarGivesUpAtOnceBecauseUnknownExtensionsAreChallengedLikeKnownOnes() throws Exception {
        String output = sipvicious("svwar", "-e", "995-1005");
        assertTrue(output.contains("authentication request for an unknown extension"), output);
        assertTrue(output.contains("found nothing"), output);
    }

    @ParameterizedTest
    @ValueSource(strings = {"REGISTER", "OPTIONS", "INVITE"})
    void svwarForcedToScanLearnsNoExtension(String method) throws Exception {
        String output = sipvicious("svwar", "--force", "-m", method, "-e", "995-1005,1995-2005");
        assertTrue(output.contains("found nothing"), output);
        for (String user : USERS) {
            assertFalse(Pattern.compile("\\|\\s*" + user + "\\s*\\|").matcher(output).find(), user + " listed: " + output);
        }
        assertTrue(output.contains("SIP/2.0 40"), "the server answered the scan (the same challenge for all): " + output);
    }

    @Test
    void svcrackFindsAPasswordFirstInItsListSoTheToolWorks() throws Exception {
        Path words = Files.write(dir.resolve("short.txt"), List.of(PASSWORD, "guess1", "guess2"));
        String output = sipvicious("svcrack", "-u", "2000", "-d", words.toString());
        assertTrue(output.contains(PASSWORD), "the control: the right first guess is found: " + output);
    }

    @Test
    void svcrackIsLockedOutBeforeItReachesThePassword() throws Exception {
        List<String> guesses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            guesses.add("guess" + i);
        }
        guesses.add(PASSWORD); // the 31st guess: the user is locked after 5 failures
        Path words = Files.write(dir.resolve("long.txt"), guesses);
        String output = sipvicious("svcrack", "-u", "1000", "-d", words.toString());
        assertFalse(output.contains(PASSWORD), "the lock holds even for the right password: " + output);
        assertTrue(output.contains("found nothing"), output);
    }
}
