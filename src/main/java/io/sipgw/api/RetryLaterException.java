package io.sipgw.api;

import java.time.Duration;

/**
 * A domain error that passes with time (a locked login): its answer carries {@code Retry-After} with the
 * seconds to wait, rounded up.
 */
public class RetryLaterException extends DomainException {

    private final long retryAfterSeconds;

    public RetryLaterException(ErrorCode code, Duration retryAfter) {
        super(code, null);
        long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
        this.retryAfterSeconds = Math.max(1, seconds);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
