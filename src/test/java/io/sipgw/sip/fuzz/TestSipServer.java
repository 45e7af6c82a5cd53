package io.sipgw.sip.fuzz;

import io.sipgw.accounts.Account;
import io.sipgw.sip.Digest;
import io.sipgw.sip.registrar.ForeignRequests;
import io.sipgw.sip.registrar.SipServer;
import io.sipgw.sip.registrar.SipServerConfig;
import io.sipgw.testing.FreePorts;
import io.sipgw.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The embedded SIP server as the torture and fuzz tests meet it: domain {@value #DOMAIN} on a free loopback
 * port, the users alice and bob (password {@value #PASSWORD}), foreign senders refused, the default
 * throttle, as the gateway configures it out of the box.
 */
final class TestSipServer implements AutoCloseable {

    static final String DOMAIN = "127.0.0.1";
    static final String PASSWORD = "secret123";

    private final SipServer server;
    private final int port;

    private TestSipServer(SipServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** A started server. */
    static TestSipServer start() {
        int port = FreePorts.find();
        List<Account> accounts = Stream.of("alice", "bob")
                .map(u -> new Account(u, DOMAIN, Digest.ha1(u, DOMAIN, PASSWORD), null, null, null)).toList();
        SipServer server = new SipServer(new SipServerConfig(DOMAIN, port, DOMAIN, accounts, Duration.ofSeconds(300),
                Duration.ofSeconds(3600), ForeignRequests.REFUSE, ThrottleSettings.DEFAULTS));
        server.start();
        return new TestSipServer(server, port);
    }

    int port() {
        return port;
    }

    /** Stops the stack (a second or two: JAIN-SIP waits for its threads). */
    @Override
    public void close() {
        server.stop();
    }
}
