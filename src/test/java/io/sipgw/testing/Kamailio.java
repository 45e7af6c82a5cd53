package io.sipgw.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Kamailio the kamailio profile started (server-config/kamailio/kamailio.sh, run folder
 * {@code it.kamailio.dir}, port {@code it.kamailio.port}), for tests that restart it.
 */
public final class Kamailio {

    private Kamailio() {
    }

    /** Stops Kamailio and starts it again on the same port: its in-memory location table is empty then. */
    public static void restart() {
        String basedir = System.getProperty("it.basedir");
        String script = Path.of(basedir, "server-config", "kamailio", "kamailio.sh").toString();
        String dir = System.getProperty("it.kamailio.dir");
        run(List.of(script, "stop", dir));
        run(List.of(script, "start", dir, System.getProperty("it.kamailio.port"),
                Path.of(basedir, "src", "test", "resources", "it-accounts.properties").toString()));
    }

    private static void run(List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("KAMAILIO_MAX_EXPIRES", "5");
            // as the profile started it: challenging INVITE and MESSAGE too, or not
            builder.environment().put("KAMAILIO_REQUEST_AUTH", System.getProperty("it.kamailio.requestAuth", "0"));
            Process process = builder.start();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " failed");
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
