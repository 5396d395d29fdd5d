package io.kardia.workqueue;

/**
 * A {@link DelayingQueue} whose re-adds are paced by a {@link RateLimiter}, like client-go's
 * {@code RateLimitingInterface}. A controller calls {@link #addRateLimited} when processing failed
 * and {@link #forget} when it succeeded.
 */
public interface RateLimitingQueue<T> extends DelayingQueue<T> {

  /** Adds {@code item} after the delay the rate limiter asks for; counts as a retry. */
  void addRateLimited(T item);

  /** Clears the limiter's failure history of {@code item} (call it once processing succeeded). */
  void forget(T item);

  /** How many times {@code item} has been rate-limited since it was last forgotten. */
  int numRequeues(T item);
}
