package io.kardia.core.client.http;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Client-side request limiter: {@code qps} tokens a second, up to {@code burst} saved up. A caller
 * that finds the bucket empty reserves the next token and sleeps until it is due, so waiters are
 * served in arrival order without a background thread.
 */
final class TokenBucket {
    /** Sleeps for a number of nanoseconds; replaced in tests. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double qps;
    private final int burst;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private double tokens;
    private long last;

    TokenBucket(double qps, int burst, LongSupplier nanoClock, Sleeper sleeper) {
        if (qps <= 0 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs qps > 0 and burst >= 1, got " + qps + "/" + burst);
        }
        this.qps = qps;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    TokenBucket(double qps, int burst) {
        this(qps, burst, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** Takes one token, sleeping until it is available; returns the nanoseconds slept. */
    long acquire() throws InterruptedException {
        long wait = reserve();
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
        return wait;
    }

    /** Takes one token (possibly going into debt) and returns how long to wait for it, in ns. */
    synchronized long reserve() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * qps);
        last = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / qps * 1e9);
    }
}
