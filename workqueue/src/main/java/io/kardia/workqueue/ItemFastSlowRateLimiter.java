package io.kardia.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * Retries an item quickly for its first {@code maxFastAttempts} failures and slowly after that;
 * client-go's {@code ItemFastSlowRateLimiter}. Per-item counts expire like those of
 * {@link ItemExponentialFailureRateLimiter} (default: twice {@code slowDelay}, at least a minute).
 */
public final class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private final Duration fastDelay;
  private final Duration slowDelay;
  private final int maxFastAttempts;
  private final FailureCounts<T> attempts;

  public ItemFastSlowRateLimiter(Duration fastDelay, Duration slowDelay, int maxFastAttempts) {
    this(fastDelay, slowDelay, maxFastAttempts, FailureCounts.defaultForgetAfter(slowDelay),
        QueueClock.system());
  }

  public ItemFastSlowRateLimiter(Duration fastDelay, Duration slowDelay, int maxFastAttempts,
      Duration forgetAfter, QueueClock clock) {
    this.fastDelay = nonNegative(fastDelay, "fastDelay");
    this.slowDelay = nonNegative(slowDelay, "slowDelay");
    if (maxFastAttempts < 0) {
      throw new IllegalArgumentException("maxFastAttempts must not be negative, got "
          + maxFastAttempts);
    }
    this.maxFastAttempts = maxFastAttempts;
    this.attempts = new FailureCounts<>(Objects.requireNonNull(forgetAfter, "forgetAfter"),
        Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Duration when(T item) {
    int attempt = attempts.getAndIncrement(item) + 1;
    return attempt <= maxFastAttempts ? fastDelay : slowDelay;
  }

  @Override
  public void forget(T item) {
    attempts.forget(item);
  }

  @Override
  public int numRequeues(T item) {
    return attempts.get(item);
  }

  long trackedItems() {
    return attempts.tracked();
  }

  @Override
  public String toString() {
    return "ItemFastSlowRateLimiter[fast=" + fastDelay + ", slow=" + slowDelay
        + ", maxFastAttempts=" + maxFastAttempts + "]";
  }

  private static Duration nonNegative(Duration duration, String what) {
    Objects.requireNonNull(duration, what);
    if (duration.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + duration);
    }
    return duration;
  }
}
