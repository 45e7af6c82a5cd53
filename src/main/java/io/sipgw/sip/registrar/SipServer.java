package io.sipgw.sip.registrar;

import gov.nist.javax.sip.SipStackImpl;
import io.sipgw.accounts.Account;
import io.sipgw.sip.StackProperties;
import io.sipgw.sip.VersionCheckingParser;
import io.sipgw.throttle.FailureThrottle;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TransportNotSupportedException;

/**
 * The embedded SIP server for one domain: registrar with digest authentication, location service and
 * stateful proxy, listening on UDP and TCP at one host and port. Plain Java: construct, {@link #start()},
 * {@link #stop()}. Each instance owns its own JAIN-SIP stack, under a unique name.
 */
public final class SipServer {

    private static final Logger LOG = Logger.getLogger(SipServer.class.getName());

    private final SipServerConfig config;
    private final Clock clock;
    private final List<Account> accounts;
    private final Map<String, Account> accountsByUser;
    private final LocationService locations;

    private SipStack stack;
    private SipProvider provider;
    private RequestDispatcher dispatcher;

    public SipServer(SipServerConfig config) {
        this(config, Clock.systemUTC());
    }

    /** With the clock that times nonces, registrations and locks (tests move it by hand). */
    SipServer(SipServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.accounts = config.accounts().stream().filter(a -> a.domain().equalsIgnoreCase(config.domain())).toList();
        this.accountsByUser = accounts.stream().collect(Collectors.toUnmodifiableMap(Account::user, Function.identity()));
        this.locations = new LocationService(clock);
    }

    /**
     * Starts listening on UDP and TCP.
     *
     * @throws IllegalStateException if the stack cannot start or the address cannot be bound; nothing is
     *                               left listening then
     */
    public synchronized void start() {
        if (stack != null) {
            return;
        }
        try {
            SipFactories sip = SipFactories.create();
            // constructed directly rather than through SipFactory, which would keep every stopped stack
            Properties properties = StackProperties.baseline("sipgw-registrar-" + UUID.randomUUID());
            properties.setProperty(VersionCheckingParser.STACK_PROPERTY, VersionCheckingParser.Factory.class.getName());
            stack = new SipStackImpl(properties);
            stack.start();
            provider = stack.createSipProvider(listeningPoint(ListeningPoint.UDP));
            provider.addListeningPoint(listeningPoint(ListeningPoint.TCP));
            dispatcher = dispatcher(sip, provider);
            provider.addSipListener(dispatcher);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Cannot start the SIP server on " + config.host() + ":" + config.port(), e);
        }
    }

    private ListeningPoint listeningPoint(String transport)
            throws TransportNotSupportedException, InvalidArgumentException {
        return stack.createListeningPoint(config.host(), config.port(), transport);
    }

    private RequestDispatcher dispatcher(SipFactories sip, SipProvider provider) {
        ServerIdentity identity = new ServerIdentity(config.host(), config.port(), config.domain());
        DigestAuthenticator authenticator = new DigestAuthenticator(config.domain(), accountsByUser,
                new Nonces(clock, config.nonceLifetime()), new FailureThrottle(config.throttle(), clock), sip);
        Registrar registrar =
                new Registrar(identity, accountsByUser, locations, authenticator, sip, config.maxExpires(), clock);
        TargetResolver targets = new TargetResolver(identity, accountsByUser, locations, sip.addresses());
        SenderCheck senders = new SenderCheck(identity, authenticator, config.foreignRequests(), sip);
        return new RequestDispatcher(provider, registrar, new Proxy(provider, sip, identity, targets, senders), sip);
    }

    /** Stops listening and releases the stack, its threads and its ports. Safe to call more than once. */
    public synchronized void stop() {
        if (stack == null) {
            return;
        }
        if (provider != null) {
            if (dispatcher != null) {
                provider.removeSipListener(dispatcher);
            }
            ListeningPoint[] listeningPoints = provider.getListeningPoints();
            quietly("delete the SIP provider", () -> stack.deleteSipProvider(provider));
            for (ListeningPoint lp : listeningPoints) {
                quietly("delete listening point " + lp.getTransport(), () -> stack.deleteListeningPoint(lp));
            }
        }
        quietly("stop the SIP stack", stack::stop);
        stack = null;
        provider = null;
        dispatcher = null;
    }

    public synchronized boolean isRunning() {
        return stack != null;
    }

    public SipServerConfig config() {
        return config;
    }

    /** The accounts this server accepts: those of its domain. */
    public List<Account> accounts() {
        return accounts;
    }

    /** Who is registered where. */
    public LocationService locations() {
        return locations;
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs one shutdown step, logging a failure at FINE: JAIN-SIP 1.3.0-91 sometimes throws a
     * ConcurrentModificationException while closing its UDP channels, after the socket is already closed,
     * and the steps after it still release the rest.
     */
    private static void quietly(String what, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Could not " + what, e);
        }
    }
}
