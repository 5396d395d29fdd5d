package io.kardia.runtime.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Real time plus an offset a test moves forward, for controllers that take a {@link Clock}: their
 * back-offs, deadlines and schedules pass without the test waiting. Thread-safe; it never goes back.
 */
public final class ShiftableClock extends Clock {
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    /** Moves the clock forward by {@code by}. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a ShiftableClock only moves forward, got " + by);
        }
        offset.updateAndGet(o -> o.plus(by));
    }

    /** Moves the clock to {@code t} (forward only). */
    public void advanceTo(Instant t) {
        Duration by = Duration.between(instant(), t);
        if (by.isNegative()) {
            throw new IllegalArgumentException("the clock is past " + t + " already");
        }
        advance(by);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get());
    }
}
