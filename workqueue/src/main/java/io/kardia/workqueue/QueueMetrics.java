package io.kardia.workqueue;

/**
 * What a queue reports about itself. {@link #NOOP} is used when no meter registry is configured;
 * the queue then skips every clock read, so metrics cost nothing on the hot path.
 */
interface QueueMetrics {

  QueueMetrics NOOP = new QueueMetrics() {
    @Override
    public boolean enabled() {
      return false;
    }

    @Override
    public void added() {}

    @Override
    public void taken(long queuedNanos) {}

    @Override
    public void finished(long workNanos) {}

    @Override
    public void retried() {}

    @Override
    public void bindGauges(QueueGauges gauges) {}

    @Override
    public void unbindGauges() {}
  };

  /** False for {@link #NOOP}: the queue need not read the clock. */
  boolean enabled();

  /** An item became waiting (new or dirty): depth and adds. */
  void added();

  /** An item was handed to a worker after waiting {@code queuedNanos}. */
  void taken(long queuedNanos);

  /**
   * An item of a priority queue was handed to a worker after waiting {@code queuedNanos};
   * {@code aged}: ahead of higher priorities, because it reached the queue's wait bound.
   */
  default void takenWithPriority(int priority, long queuedNanos, boolean aged) {}

  /** A worker finished an item after {@code workNanos}. */
  void finished(long workNanos);

  /** An item was scheduled again through addAfter or addRateLimited. */
  void retried();

  /** Registers the gauges that read the queue's state. */
  void bindGauges(QueueGauges gauges);

  /** Unregisters them, so that a later queue of the same name reports its own. */
  void unbindGauges();

  /** The state that gauges read, computed under the queue's lock when scraped. */
  interface QueueGauges {
    /** Waiting items plus items added again while being processed (client-go's depth). */
    double depth();

    /** Sum of the time the items in progress have been processed so far, in seconds. */
    double unfinishedWorkSeconds();

    /** Time the longest-running item in progress has been processed so far, in seconds. */
    double longestRunningProcessorSeconds();
  }
}
