package io.kardia.runtime.event;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Tuning of a {@link KubeEventRecorder}. Defaults as client-go's event correlator: aggregation
 * over the last 4096 distinct events, and per object a token bucket of 25 events refilled by one
 * every 5 minutes.
 *
 * @param component    {@code source.component} and {@code reportingComponent}, e.g. {@code replicaset-controller}
 * @param maxTracked   distinct events remembered for aggregation (LRU beyond that)
 * @param burst        events one object may record at once
 * @param refillPeriod time to earn one more event for an object
 * @param wallClock    timestamps written in events
 * @param nanoClock    monotonic time for the rate limits
 */
public record EventRecorderOptions(String component, int maxTracked, int burst, Duration refillPeriod, Clock wallClock,
                                   LongSupplier nanoClock) {

    public EventRecorderOptions {
        if (component == null || component.isBlank()) {
            throw new IllegalArgumentException("an event recorder needs a component name (source.component)");
        }
        if (maxTracked < 1) {
            throw new IllegalArgumentException("maxTracked must be at least 1, got " + maxTracked);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (refillPeriod == null || refillPeriod.isNegative() || refillPeriod.isZero()) {
            throw new IllegalArgumentException("refillPeriod must be positive, got " + refillPeriod);
        }
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(nanoClock, "nanoClock");
    }

    public static EventRecorderOptions defaults(String component) {
        return new EventRecorderOptions(component, 4096, 25, Duration.ofMinutes(5), Clock.systemUTC(), System::nanoTime);
    }

    public EventRecorderOptions withRateLimit(int newBurst, Duration newRefillPeriod) {
        return new EventRecorderOptions(component, maxTracked, newBurst, newRefillPeriod, wallClock, nanoClock);
    }

    public EventRecorderOptions withMaxTracked(int max) {
        return new EventRecorderOptions(component, max, burst, refillPeriod, wallClock, nanoClock);
    }

    public EventRecorderOptions withClocks(Clock wall, LongSupplier nanos) {
        return new EventRecorderOptions(component, maxTracked, burst, refillPeriod, wall, nanos);
    }
}
