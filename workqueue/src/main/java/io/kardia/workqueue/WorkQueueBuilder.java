package io.kardia.workqueue;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
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

  /**
   * Default of {@link #priorityMaxWait}: in a priority queue no item waits behind higher
   * priorities longer than this (once a worker is free).
   */
  public static final Duration DEFAULT_PRIORITY_MAX_WAIT = Duration.ofSeconds(10);

  private final String name;
  private MeterRegistry meterRegistry;
  private QueueClock clock = QueueClock.system();
  private ThreadFactory timerThreads;
  private int retainIdleItems = DEFAULT_RETAIN_IDLE_ITEMS;
  private Duration priorityMaxWait = DEFAULT_PRIORITY_MAX_WAIT;

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

  /**
   * The starvation bound of priority queues: an item that has waited this long is handed out
   * next, ahead of higher priorities (oldest overdue first). {@link Duration#ZERO} turns the
   * bound off (strict priorities: a steady flood of higher priorities can starve an item).
   * Default {@link #DEFAULT_PRIORITY_MAX_WAIT}.
   */
  public WorkQueueBuilder priorityMaxWait(Duration maxWait) {
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("priorityMaxWait must not be negative, got " + maxWait);
    }
    this.priorityMaxWait = maxWait;
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
    return rateLimited(new PriorityLine<T>(clock, priorityMaxWait.toNanos()), limiter);
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
