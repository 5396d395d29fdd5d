package io.kardia.workqueue;

import java.time.Duration;

/**
 * A {@link WorkQueue} that can add an item later, like client-go's {@code DelayingInterface}.
 *
 * <p>All pending delays are kept in one heap served by a single timer thread, never one thread per
 * item. Shutting the queue down stops the timer and drops the items still waiting for their time.
 */
public interface DelayingQueue<T> extends WorkQueue<T> {

  /**
   * Adds {@code item} once {@code delay} has passed; a zero or negative delay adds it now. If the
   * item is already waiting for its time, the earlier of the two due times is kept.
   */
  void addAfter(T item, Duration delay);
}
