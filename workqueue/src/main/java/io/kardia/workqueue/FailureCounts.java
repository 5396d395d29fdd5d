package io.kardia.workqueue;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-item failure counters of the per-item rate limiters. Bounded in time: a counter not touched
 * for {@code forgetAfter} is dropped, so items a controller never {@code forget}s (e.g. deleted
 * objects whose last reconcile failed) do not leak. Dropping a counter only resets that item's
 * backoff to its first step.
 */
final class FailureCounts<T> {
  private final Cache<T, AtomicInteger> counts;

  FailureCounts(Duration forgetAfter, QueueClock clock) {
    if (forgetAfter.isNegative() || forgetAfter.isZero()) {
      throw new IllegalArgumentException("forgetAfter must be positive, got " + forgetAfter);
    }
    this.counts = Caffeine.newBuilder()
        .expireAfterAccess(forgetAfter)
        .ticker(clock::nanoTime)
        // Maintenance on the caller's thread: no hidden dependency on the common pool.
        .executor(Runnable::run)
        .build();
  }

  /** Increments the count of {@code item} and returns the value before. */
  int getAndIncrement(T item) {
    return counts.get(item, key -> new AtomicInteger()).getAndIncrement();
  }

  int get(T item) {
    AtomicInteger count = counts.getIfPresent(item);
    return count == null ? 0 : count.get();
  }

  void forget(T item) {
    counts.invalidate(item);
  }

  /** Items currently tracked, after dropping the expired ones. */
  long tracked() {
    counts.cleanUp();
    return counts.estimatedSize();
  }

  /**
   * Default retention: twice the longest delay. An item that keeps failing is seen again within
   * one longest delay (plus its processing time), so its count survives; one not seen for twice
   * that has stopped failing or is gone.
   */
  static Duration defaultForgetAfter(Duration longestDelay) {
    Duration twice = longestDelay.multipliedBy(2);
    Duration floor = Duration.ofMinutes(1);
    return twice.compareTo(floor) < 0 ? floor : twice;
  }
}
