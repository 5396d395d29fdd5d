package io.kardia.controllers.node;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One token bucket per zone (burst 1): how many nodes per second may have the NoExecute taint
 * put on them, i.e. start having their pods evicted. The rate follows the zone's state.
 */
final class ZoneRateLimiter {
    private static final class Bucket {
        double tokens = 1;
        long lastNanos;
    }

    private final Map<String, Bucket> buckets = new HashMap<>();
    private final LongSupplier nanoClock;

    ZoneRateLimiter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /**
     * Takes a token for {@code zone} at {@code ratePerSecond}.
     *
     * @return 0 if taken, else the nanoseconds until one is available ({@link Long#MAX_VALUE} at rate 0)
     */
    synchronized long tryAcquire(String zone, double ratePerSecond) {
        if (ratePerSecond <= 0) {
            return Long.MAX_VALUE; // a stopped zone keeps no saved-up token either
        }
        long now = nanoClock.getAsLong();
        Bucket b = buckets.computeIfAbsent(zone, z -> {
            Bucket nb = new Bucket();
            nb.lastNanos = now;
            return nb;
        });
        b.tokens = Math.min(1, b.tokens + (now - b.lastNanos) / 1e9 * ratePerSecond);
        b.lastNanos = now;
        if (b.tokens >= 1) {
            b.tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - b.tokens) / ratePerSecond * 1e9);
    }
}
