package io.kardia.workqueue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Work-queue metrics under the names Kubernetes uses. Micrometer names are dotted and get their
 * unit and type suffix from the registry's naming convention, so that Prometheus shows
 * {@code workqueue_depth}, {@code workqueue_adds_total}, {@code workqueue_queue_duration_seconds},
 * {@code workqueue_work_duration_seconds}, {@code workqueue_unfinished_work_seconds},
 * {@code workqueue_longest_running_processor_seconds} and {@code workqueue_retries_total}, each
 * tagged {@code name=<queue name>}. The duration histograms use Kubernetes' buckets, 10 ns to 10 s
 * by powers of ten.
 */
final class MicrometerQueueMetrics implements QueueMetrics {
  static final String NAME_TAG = "name";

  private static final Duration[] KUBERNETES_BUCKETS = {
    Duration.ofNanos(10), Duration.ofNanos(100), Duration.ofNanos(1_000), Duration.ofNanos(10_000),
    Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
    Duration.ofSeconds(1), Duration.ofSeconds(10)
  };

  private final MeterRegistry registry;
  private final String queueName;
  private final Counter adds;
  private final Counter retries;
  private final Timer queueDuration;
  private final Timer workDuration;
  private final List<Meter> gauges = new ArrayList<>(3);
  private final java.util.concurrent.ConcurrentHashMap<Integer, Timer> byPriority = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Counter agedCounter;

  MicrometerQueueMetrics(MeterRegistry registry, String queueName) {
    this.registry = registry;
    this.queueName = queueName;
    this.adds = Counter.builder("workqueue.adds")
        .description("Total number of adds handled by the workqueue")
        .tag(NAME_TAG, queueName)
        .register(registry);
    this.retries = Counter.builder("workqueue.retries")
        .description("Total number of retries handled by the workqueue")
        .tag(NAME_TAG, queueName)
        .register(registry);
    this.queueDuration = Timer.builder("workqueue.queue.duration")
        .description("How long an item stays in the workqueue before being requested")
        .tag(NAME_TAG, queueName)
        .serviceLevelObjectives(KUBERNETES_BUCKETS)
        .register(registry);
    this.workDuration = Timer.builder("workqueue.work.duration")
        .description("How long processing an item from the workqueue takes")
        .tag(NAME_TAG, queueName)
        .serviceLevelObjectives(KUBERNETES_BUCKETS)
        .register(registry);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public void added() {
    adds.increment();
  }

  @Override
  public void taken(long queuedNanos) {
    queueDuration.record(queuedNanos, TimeUnit.NANOSECONDS);
  }

  /** Per priority: how long items of each priority waited (the count is how many were handed out). */
  @Override
  public void takenWithPriority(int priority, long queuedNanos, boolean aged) {
    byPriority.computeIfAbsent(priority, p -> Timer.builder("workqueue.priority.queue.duration")
        .description("How long an item of this priority stays in the workqueue before being requested")
        .tag(NAME_TAG, queueName)
        .tag("priority", Integer.toString(p))
        .serviceLevelObjectives(KUBERNETES_BUCKETS)
        .register(registry)).record(queuedNanos, TimeUnit.NANOSECONDS);
    if (aged) {
      aged().increment();
    }
  }

  private Counter aged() {
    Counter c = agedCounter;
    if (c == null) {
      c = Counter.builder("workqueue.priority.aged")
          .description("Items handed out ahead of higher priorities because they reached the wait bound")
          .tag(NAME_TAG, queueName)
          .register(registry);
      agedCounter = c;
    }
    return c;
  }

  @Override
  public void finished(long workNanos) {
    workDuration.record(workNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void retried() {
    retries.increment();
  }

  @Override
  public synchronized void bindGauges(QueueGauges state) {
    gauges.add(Gauge.builder("workqueue.depth", state, QueueGauges::depth)
        .description("Current depth of the workqueue")
        .tag(NAME_TAG, queueName)
        .register(registry));
    gauges.add(Gauge.builder("workqueue.unfinished.work", state, QueueGauges::unfinishedWorkSeconds)
        .description("Seconds of work in progress that has not been observed by work_duration; "
            + "large values indicate stuck threads")
        .baseUnit("seconds")
        .tag(NAME_TAG, queueName)
        .register(registry));
    gauges.add(Gauge.builder("workqueue.longest.running.processor", state,
            QueueGauges::longestRunningProcessorSeconds)
        .description("How many seconds the longest running processor has been running")
        .baseUnit("seconds")
        .tag(NAME_TAG, queueName)
        .register(registry));
  }

  @Override
  public synchronized void unbindGauges() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }
}
