package io.kardia.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-item exponential backoff: {@code base * 2^failures}, capped at {@code max}; client-go's
 * {@code ItemExponentialFailureRateLimiter}. Per-item counts expire after {@code forgetAfter}
 * without failures (default: twice {@code max}, at least a minute) so that they cannot leak.
 */
public final class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1000);

  private final Duration baseDelay;
  private final Duration maxDelay;
  private final long baseNanos;
  private final long maxNanos;
  private final FailureCounts<T> failures;

  /** 5 ms base, 1000 s cap. */
  public ItemExponentialFailureRateLimiter() {
    this(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY);
  }

  public ItemExponentialFailureRateLimiter(Duration baseDelay, Duration maxDelay) {
    this(baseDelay, maxDelay, FailureCounts.defaultForgetAfter(maxDelay), QueueClock.system());
  }

  public ItemExponentialFailureRateLimiter(Duration baseDelay, Duration maxDelay,
      Duration forgetAfter, QueueClock clock) {
    this.baseDelay = requirePositive(baseDelay, "baseDelay");
    this.maxDelay = requirePositive(maxDelay, "maxDelay");
    if (maxDelay.compareTo(baseDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay (" + maxDelay + ") must not be shorter than baseDelay (" + baseDelay + ")");
    }
    this.baseNanos = QueueCore.saturatedNanos(baseDelay);
    this.maxNanos = QueueCore.saturatedNanos(maxDelay);
    this.failures = new FailureCounts<>(Objects.requireNonNull(forgetAfter, "forgetAfter"),
        Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Duration when(T item) {
    int exponent = failures.getAndIncrement(item);
    // base * 2^exponent, saturating at max without overflowing.
    if (exponent >= 62 || baseNanos > (maxNanos >> exponent)) {
      return maxDelay;
    }
    return Duration.ofNanos(baseNanos << exponent);
  }

  @Override
  public void forget(T item) {
    failures.forget(item);
  }

  @Override
  public int numRequeues(T item) {
    return failures.get(item);
  }

  long trackedItems() {
    return failures.tracked();
  }

  @Override
  public String toString() {
    return "ItemExponentialFailureRateLimiter[base=" + baseDelay + ", max=" + maxDelay + "]";
  }

  static Duration requirePositive(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + duration);
    }
    return duration;
  }
}
