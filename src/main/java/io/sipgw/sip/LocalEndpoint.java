package io.sipgw.sip;

import javax.sip.SipProvider;

/**
 * A local SIP address (a listening point of the gateway's user agent) that a new registration goes
 * through. Capabilities choose it ({@link SipUserAgent#defaultEndpoint}, {@link SipUserAgent#endpointFor})
 * and hand it to {@link Registrations#register} without seeing the stack's provider behind it. One taken
 * with {@code endpointFor} is a lease on that listening point: a login that fails gives it back
 * ({@link SipUserAgent#release}), and the listening point closes when no lease is left.
 */
public final class LocalEndpoint {

    private final SipProvider provider;
    /** {@code host:port} of a login's own listening point; null for the default one, which is never released. */
    private final String leasedAddress;

    LocalEndpoint(SipProvider provider, String leasedAddress) {
        this.provider = provider;
        this.leasedAddress = leasedAddress;
    }

    String leasedAddress() {
        return leasedAddress;
    }

    SipProvider provider() {
        return provider;
    }
}
