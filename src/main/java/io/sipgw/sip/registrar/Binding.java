package io.sipgw.sip.registrar;

import java.time.Duration;
import java.time.Instant;

/**
 * One registered contact of a user (RFC 3261 section 10.3).
 *
 * @param contactUri the contact URI as the user agent registered it
 * @param expiresAt  when the binding lapses unless refreshed
 * @param callId     Call-ID of the REGISTER that last wrote it
 * @param cseq       CSeq number of that REGISTER, to reject out-of-order updates
 * @param updatedAt  when it was last added or refreshed; the most recent binding receives requests
 * @param gateway    whether the gateway's own user agent registered it (an API login, {@code User-Agent:
 *                   sipgw}) rather than a SIP phone or softphone; only phones count for
 *                   {@link LocationService#hasPhone}
 */
public record Binding(String contactUri, Instant expiresAt, String callId, long cseq, Instant updatedAt, boolean gateway) {

    /** A phone's binding. */
    public Binding(String contactUri, Instant expiresAt, String callId, long cseq, Instant updatedAt) {
        this(contactUri, expiresAt, callId, cseq, updatedAt, false);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whole seconds left, rounded up, as a 200 OK to REGISTER reports them. */
    public int secondsLeft(Instant now) {
        long millis = Duration.between(now, expiresAt).toMillis();
        return millis <= 0 ? 0 : (int) ((millis + 999) / 1000);
    }
}
