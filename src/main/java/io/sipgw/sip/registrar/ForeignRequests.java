package io.sipgw.sip.registrar;

import java.util.Locale;

/**
 * What the proxy does with an out-of-dialog request whose From is not in its domain: it cannot
 * authenticate such a sender (the user's own server would, and this one does not federate), so it either
 * refuses the request with 403 or forwards it to its users unauthenticated, as an open federation peer
 * would (and then anyone can claim any foreign identity and learn who is online with OPTIONS).
 * Configured with {@code sipgw.registrar.foreign-requests} = {@code refuse} (default) or {@code accept}.
 */
public enum ForeignRequests {
    REFUSE, ACCEPT;

    /** {@code refuse} or {@code accept}, in any case. */
    public static ForeignRequests parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sipgw.registrar.foreign-requests must be refuse or accept, not '"
                    + value + "'", e);
        }
    }
}
