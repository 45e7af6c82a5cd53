package io.sipgw.metrics;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * A gauge of something live on this instance (registrations, sockets, call legs, dialogs), read each time
 * the metrics are scraped. A capability offers one with a CDI producer method; the operations component finds
 * every one through CDI and publishes it, so neither side imports the other.
 *
 * @param name the MicroProfile metric name, e.g. {@code sipgw.calls.live}
 * @param description what is counted, for the metric's HELP line
 * @param count reads the current number; cheap and never blocking
 */
public record LiveCount(String name, String description, IntSupplier count) {

    public LiveCount {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(count, "count");
    }
}
