package io.kardia.workqueue;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Configures and builds work queues; see {@link WorkQueues#builder}. Each {@code build*} method
 * returns a new, running queue. Without a meter registry the queue records no metrics and never
 * reads the clock on its hot path.
 */
public final class WorkQueueBuilder {
  /**
   * Default of {@link #retainIdleItems}: about 6 MB at most per queue, paid only by queues that
   * really see that many distinct keys (whose informer caches then hold far more).
   */
  public static final int DEFAULT_RETAIN_IDLE_ITEMS = 65_536;

  private final String name;
  private MeterRegistry meterRegistry;
  private QueueClock clock = QueueClock.system();
  private ThreadFactory timerThreads;
  private int retainIdleItems = DEFAULT_RETAIN_IDLE_ITEMS;

  WorkQueueBuilder(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException(
          "a work queue needs a non-blank name (it tags its metrics)");
    }
    this.name = name;
  }

  /** Registry for the {@code workqueue_*} metrics; null (the default) records none. */
  public WorkQueueBuilder meterRegistry(MeterRegistry meterRegistry) {
    this.meterRegistry = meterRegistry;
    return this;
  }

  /** Time source for delays and metrics; tests pass a fake one. */
  public WorkQueueBuilder clock(QueueClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Makes the one timer thread of a delaying queue; default: a virtual thread. */
  public WorkQueueBuilder timerThreadFactory(ThreadFactory timerThreads) {
    this.timerThreads = Objects.requireNonNull(timerThreads, "timerThreads");
    return this;
  }

  /**
   * How many done items the queue keeps book-keeping for, least recently done dropped first, so
   * that adding them again allocates nothing; 0 keeps none. Default
   * {@value #DEFAULT_RETAIN_IDLE_ITEMS}.
   */
  public WorkQueueBuilder retainIdleItems(int retainIdleItems) {
    if (retainIdleItems < 0) {
      throw new IllegalArgumentException("retainIdleItems must not be negative, got "
          + retainIdleItems);
    }
    this.retainIdleItems = retainIdleItems;
    return this;
  }

  /** A plain FIFO work queue. */
  public <T> WorkQueue<T> build() {
    return core(new FifoLine<T>());
  }

  /** A FIFO queue with {@code addAfter}. */
  public <T> DelayingQueue<T> buildDelaying() {
    QueueCore<T> core = core(new FifoLine<T>());
    DelayTimer<T> timer = timer(core);
    DelayingWorkQueue<T> queue = new DelayingWorkQueue<>(core, timer, clock);
    timer.start();
    return queue;
  }

  /** A FIFO rate-limiting queue with {@link RateLimiters#defaultControllerRateLimiter}. */
  public <T> RateLimitingQueue<T> buildRateLimiting() {
    return buildRateLimiting(RateLimiters.defaultControllerRateLimiter(clock));
  }

  /** A FIFO rate-limiting queue with {@code limiter}. */
  public <T> RateLimitingQueue<T> buildRateLimiting(RateLimiter<? super T> limiter) {
    return rateLimited(new FifoLine<T>(), limiter);
  }

  /** A rate-limited priority queue with {@link RateLimiters#defaultControllerRateLimiter}. */
  public <T> PriorityWorkQueue<T> buildPriority() {
    return buildPriority(RateLimiters.defaultControllerRateLimiter(clock));
  }

  /** A rate-limited priority queue with {@code limiter}. */
  public <T> PriorityWorkQueue<T> buildPriority(RateLimiter<? super T> limiter) {
    return rateLimited(new PriorityLine<T>(), limiter);
  }

  private <T> RateLimitedWorkQueue<T> rateLimited(WaitingLine<T> line,
      RateLimiter<? super T> limiter) {
    Objects.requireNonNull(limiter, "limiter");
    QueueCore<T> core = core(line);
    DelayTimer<T> timer = timer(core);
    RateLimitedWorkQueue<T> queue = new RateLimitedWorkQueue<>(core, timer, clock, limiter);
    timer.start();
    return queue;
  }

  private <T> QueueCore<T> core(WaitingLine<T> line) {
    QueueMetrics metrics = meterRegistry == null
        ? QueueMetrics.NOOP
        : new MicrometerQueueMetrics(meterRegistry, name);
    QueueCore<T> core = new QueueCore<>(name, line, clock, metrics, retainIdleItems);
    metrics.bindGauges(core);
    return core;
  }

  private <T> DelayTimer<T> timer(QueueCore<T> core) {
    ThreadFactory threads = timerThreads != null
        ? timerThreads
        : Thread.ofVirtual().name("workqueue-" + name + "-timer").factory();
    return new DelayTimer<>(name, clock, threads, core::add);
  }
}
