package io.kardia.workqueue;

import java.util.Objects;

/**
 * A {@link DelayingWorkQueue} whose {@link #addRateLimited} delays come from a {@link RateLimiter}.
 * Implements the priority interface; with a FIFO core the priorities are simply ignored, and the
 * builder then hands it out only as a {@link RateLimitingQueue}.
 */
final class RateLimitedWorkQueue<T> extends DelayingWorkQueue<T> implements PriorityWorkQueue<T> {
  private final RateLimiter<? super T> limiter;

  RateLimitedWorkQueue(QueueCore<T> core, DelayTimer<T> timer, QueueClock clock,
      RateLimiter<? super T> limiter) {
    super(core, timer, clock);
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  @Override
  public void add(T item, int priority) {
    core.add(item, priority);
  }

  @Override
  public void addRateLimited(T item) {
    addRateLimited(item, DEFAULT_PRIORITY);
  }

  @Override
  public void addRateLimited(T item, int priority) {
    Objects.requireNonNull(item, "item");
    addAfter(item, limiter.when(item), priority);
  }

  @Override
  public void forget(T item) {
    limiter.forget(Objects.requireNonNull(item, "item"));
  }

  @Override
  public int numRequeues(T item) {
    return limiter.numRequeues(Objects.requireNonNull(item, "item"));
  }
}
