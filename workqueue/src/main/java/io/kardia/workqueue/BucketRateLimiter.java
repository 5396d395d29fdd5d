package io.kardia.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * Overall token bucket: {@code qps} tokens per second, holding at most {@code burst}, starting
 * full; every {@link #when} takes a token, and when none is left it reserves a future one and
 * returns the wait for it. Same semantics as client-go's {@code BucketRateLimiter}
 * ({@code rate.Limiter.Reserve().Delay()}). Guava's {@code RateLimiter} is not used because it
 * cannot be configured with a burst other than one second's worth of permits.
 */
public final class BucketRateLimiter<T> implements RateLimiter<T> {
  public static final double DEFAULT_QPS = 10;
  public static final int DEFAULT_BURST = 100;

  private final double qps;
  private final int burst;
  private final QueueClock clock;
  private double tokens;
  private long lastNanos;

  /** 10 qps, burst 100. */
  public BucketRateLimiter() {
    this(DEFAULT_QPS, DEFAULT_BURST);
  }

  public BucketRateLimiter(double qps, int burst) {
    this(qps, burst, QueueClock.system());
  }

  public BucketRateLimiter(double qps, int burst, QueueClock clock) {
    if (!(qps > 0) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps must be positive and finite, got " + qps);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokens = burst;
    this.lastNanos = clock.nanoTime();
  }

  @Override
  public synchronized Duration when(T item) {
    long now = clock.nanoTime();
    long elapsed = now - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * qps / 1e9);
      lastNanos = now;
    }
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
  }

  @Override
  public void forget(T item) {
    // Not tracked per item.
  }

  @Override
  public int numRequeues(T item) {
    return 0;
  }

  @Override
  public String toString() {
    return "BucketRateLimiter[qps=" + qps + ", burst=" + burst + "]";
  }
}
