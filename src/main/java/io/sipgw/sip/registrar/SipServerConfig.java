package io.sipgw.sip.registrar;

import io.sipgw.accounts.Account;
import io.sipgw.throttle.ThrottleSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link SipServer} needs to know.
 *
 * @param host          address to listen on (UDP and TCP); a concrete address such as 127.0.0.1, since
 *                      it also goes into Via and Record-Route
 * @param port          port to listen on
 * @param domain        the SIP domain served, also the digest realm
 * @param accounts      accounts; those of other domains are ignored
 * @param nonceLifetime how long a digest nonce stays valid
 * @param maxExpires    the longest registration granted
 * @param foreignRequests what to do with out-of-dialog requests from other domains
 * @param throttle      how failed digest checks lock users and addresses
 */
public record SipServerConfig(String host, int port, String domain, List<Account> accounts, Duration nonceLifetime,
        Duration maxExpires, ForeignRequests foreignRequests, ThrottleSettings throttle) {

    /** With the default policy (refuse foreign senders) and throttle. */
    public SipServerConfig(String host, int port, String domain, List<Account> accounts, Duration nonceLifetime,
            Duration maxExpires) {
        this(host, port, domain, accounts, nonceLifetime, maxExpires, ForeignRequests.REFUSE,
                ThrottleSettings.DEFAULTS);
    }

    public SipServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(foreignRequests, "foreignRequests");
        Objects.requireNonNull(throttle, "throttle");
        accounts = List.copyOf(accounts);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
        if (nonceLifetime.isNegative() || nonceLifetime.isZero() || maxExpires.isNegative() || maxExpires.isZero()) {
            throw new IllegalArgumentException("nonce lifetime and max expires must be positive");
        }
    }
}
