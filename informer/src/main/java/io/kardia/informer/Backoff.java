package io.kardia.informer;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Failure bookkeeping of one reflector. The first failure after a healthy period is retried at
 * once (a dropped connection is normal); each further one waits longer, per {@link BackoffPolicy}.
 * Not thread-safe: owned by the reflector's thread.
 */
final class Backoff {
    private final BackoffPolicy policy;
    private final LongSupplier nanoClock;
    private final RandomGenerator random;
    private int failures;
    private long lastFailureNanos;

    Backoff(BackoffPolicy policy, LongSupplier nanoClock, RandomGenerator random) {
        this.policy = policy;
        this.nanoClock = nanoClock;
        this.random = random;
    }

    /** Records a failure and returns how long to wait before the next attempt. */
    Duration onFailure() {
        long now = nanoClock.getAsLong();
        if (failures > 0 && now - lastFailureNanos > policy.resetAfter().toNanos()) {
            failures = 0;
        }
        failures++;
        lastFailureNanos = now;
        if (failures == 1) {
            return Duration.ZERO;
        }
        double base = policy.initial().toNanos() * Math.pow(policy.factor(), Math.min(failures - 2, 62));
        double capped = Math.min(base, policy.max().toNanos());
        double jittered = capped + capped * policy.jitter() * random.nextDouble();
        return Duration.ofNanos((long) jittered);
    }

    /** Failures counted in the current window (0 after a healthy period). */
    int failures() {
        if (failures > 0 && nanoClock.getAsLong() - lastFailureNanos > policy.resetAfter().toNanos()) {
            return 0;
        }
        return failures;
    }
}
