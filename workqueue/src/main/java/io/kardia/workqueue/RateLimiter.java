package io.kardia.workqueue;

import java.time.Duration;

/**
 * Decides how long an item waits before it is retried, like client-go's {@code RateLimiter}.
 * Implementations are thread-safe.
 */
public interface RateLimiter<T> {

  /** The delay before {@code item} is retried; records one more failure of it. */
  Duration when(T item);

  /** Clears the failure history of {@code item}. */
  void forget(T item);

  /** Failures of {@code item} recorded since it was last forgotten (0 if not tracked per item). */
  int numRequeues(T item);
}
