package io.kardia.workqueue;

import java.time.Duration;
import java.util.List;

/** Factories of the usual rate limiters. */
public final class RateLimiters {
  private RateLimiters() {}

  /**
   * client-go's {@code DefaultControllerRateLimiter}: the longer of per-item exponential backoff
   * (5 ms doubling up to 1000 s) and an overall token bucket (10 qps, burst 100).
   */
  public static <T> RateLimiter<T> defaultControllerRateLimiter() {
    return defaultControllerRateLimiter(QueueClock.system());
  }

  /** {@link #defaultControllerRateLimiter()} on the given clock. */
  public static <T> RateLimiter<T> defaultControllerRateLimiter(QueueClock clock) {
    return new MaxOfRateLimiter<T>(
        new ItemExponentialFailureRateLimiter<T>(
            ItemExponentialFailureRateLimiter.DEFAULT_BASE_DELAY,
            ItemExponentialFailureRateLimiter.DEFAULT_MAX_DELAY,
            FailureCounts.defaultForgetAfter(ItemExponentialFailureRateLimiter.DEFAULT_MAX_DELAY),
            clock),
        new BucketRateLimiter<T>(BucketRateLimiter.DEFAULT_QPS, BucketRateLimiter.DEFAULT_BURST,
            clock));
  }

  public static <T> RateLimiter<T> exponentialFailure(Duration baseDelay, Duration maxDelay) {
    return new ItemExponentialFailureRateLimiter<>(baseDelay, maxDelay);
  }

  public static <T> RateLimiter<T> fastSlow(Duration fastDelay, Duration slowDelay,
      int maxFastAttempts) {
    return new ItemFastSlowRateLimiter<>(fastDelay, slowDelay, maxFastAttempts);
  }

  public static <T> RateLimiter<T> bucket(double qps, int burst) {
    return new BucketRateLimiter<>(qps, burst);
  }

  public static <T> RateLimiter<T> maxOf(List<? extends RateLimiter<? super T>> limiters) {
    return new MaxOfRateLimiter<>(limiters);
  }
}
