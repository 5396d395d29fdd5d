package io.kardia.workqueue;

import java.time.Duration;

/**
 * A rate-limiting queue whose waiting items are handed out highest priority first, FIFO among
 * equal priorities (like controller-runtime's priority queue). The dedup, dirty and processing
 * rules are those of {@link WorkQueue}; adding a waiting item again with a higher priority raises
 * it (it keeps its place in line among items of the new priority by original add order), a lower
 * priority never lowers it. The methods without a priority use {@link #DEFAULT_PRIORITY}.
 */
public interface PriorityWorkQueue<T> extends RateLimitingQueue<T> {

  /** Priority of items added without one. */
  int DEFAULT_PRIORITY = 0;

  /** Conventional priority for low-importance adds, e.g. the initial list of an informer. */
  int LOW_PRIORITY = -100;

  /** Adds {@code item} with {@code priority}; see the class comment for re-adds. */
  void add(T item, int priority);

  /** Adds {@code item} with {@code priority} once {@code delay} has passed. */
  void addAfter(T item, Duration delay, int priority);

  /** Adds {@code item} with {@code priority} after the delay the rate limiter asks for. */
  void addRateLimited(T item, int priority);
}
