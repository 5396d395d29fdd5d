package io.kardia.informer;

import java.time.Duration;

/**
 * How long a reflector waits after repeated failures: {@code initial} growing by {@code factor}
 * up to {@code max}, each delay stretched by a random share (up to {@code jitter}) of itself so a
 * fleet of clients does not retry in lockstep, and reset after {@code resetAfter} without a
 * failure. client-go's reflector uses 800 ms, 30 s, 2.0, 1.0 and 2 min.
 */
public record BackoffPolicy(Duration initial, Duration max, double factor, double jitter, Duration resetAfter) {

    public static BackoffPolicy defaults() {
        return new BackoffPolicy(Duration.ofMillis(800), Duration.ofSeconds(30), 2.0, 1.0, Duration.ofMinutes(2));
    }

    public BackoffPolicy {
        if (initial == null || initial.isNegative() || max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, got initial=" + initial + " max=" + max);
        }
        if (factor < 1.0 || jitter < 0.0) {
            throw new IllegalArgumentException("backoff needs factor >= 1 and jitter >= 0, got factor=" + factor + " jitter=" + jitter);
        }
        if (resetAfter == null || resetAfter.isNegative()) {
            throw new IllegalArgumentException("backoff needs resetAfter >= 0, got " + resetAfter);
        }
    }
}
