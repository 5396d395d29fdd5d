package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import org.junit.jupiter.api.Test;

class WorkQueueMetricsTest {
  private final FakeClock clock = new FakeClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name) {
    return registry.get(name).tag("name", "pods").gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).tag("name", "pods").counter().count();
  }

  @Test
  void reportsDepthAddsAndDurationsUnderTheQueueName() throws Exception {
    PriorityWorkQueue<String> queue = WorkQueues.builder("pods").meterRegistry(registry)
        .clock(clock).buildPriority();
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assertThat(gauge("workqueue.depth")).isEqualTo(2);
    assertThat(counter("workqueue.adds")).as("a dedup is not an add").isEqualTo(2);

    clock.advance(Duration.ofMillis(30));
    assertThat(queue.get()).contains("a");
    assertThat(gauge("workqueue.depth")).isEqualTo(1);
    var queued = registry.get("workqueue.queue.duration").tag("name", "pods").timer();
    assertThat(queued.count()).isEqualTo(1);
    assertThat(queued.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(30);

    queue.add("a");
    assertThat(gauge("workqueue.depth")).as("dirty while processing counts").isEqualTo(2);
    assertThat(counter("workqueue.adds")).isEqualTo(3);

    clock.advance(Duration.ofMillis(200));
    assertThat(gauge("workqueue.unfinished.work")).isCloseTo(0.2, within(1e-9));
    assertThat(gauge("workqueue.longest.running.processor")).isCloseTo(0.2, within(1e-9));
    assertThat(queue.get()).contains("b");
    clock.advance(Duration.ofMillis(100));
    assertThat(gauge("workqueue.unfinished.work")).isCloseTo(0.4, within(1e-9));
    assertThat(gauge("workqueue.longest.running.processor")).isCloseTo(0.3, within(1e-9));

    queue.done("a");
    var work = registry.get("workqueue.work.duration").tag("name", "pods").timer();
    assertThat(work.count()).isEqualTo(1);
    assertThat(work.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(300);
    assertThat(gauge("workqueue.depth")).as("a waits again").isEqualTo(1);

    queue.addRateLimited("c");
    queue.addAfter("d", Duration.ofMillis(1));
    assertThat(counter("workqueue.retries")).isEqualTo(2);

    queue.shutDown();
    assertThat(registry.find("workqueue.depth").gauges())
        .as("gauges go with the queue so that a new one of the same name reports its own")
        .isEmpty();
  }

  @Test
  void rendersTheKubernetesNamesInPrometheus() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // An hour of backoff keeps the rate-limited re-add in the delay heap until the scrape, however
    // slow the machine (the default 5 ms let it land first under load: two adds, not one).
    RateLimitingQueue<String> queue = WorkQueues.builder("deployments").meterRegistry(prometheus)
        .buildRateLimiting(new ItemExponentialFailureRateLimiter<String>(Duration.ofHours(1), Duration.ofHours(1)));
    try {
      queue.add("a");
      queue.get();
      queue.done("a");
      queue.addRateLimited("a");

      String scrape = prometheus.scrape();
      assertThat(scrape).contains(
          "workqueue_depth{name=\"deployments\"}",
          "workqueue_adds_total{name=\"deployments\"} 1",
          "workqueue_queue_duration_seconds_bucket{name=\"deployments\",le=\"1.0E-8\"}",
          "workqueue_queue_duration_seconds_count{name=\"deployments\"} 1",
          "workqueue_work_duration_seconds_bucket{name=\"deployments\",le=\"10.0\"}",
          "workqueue_unfinished_work_seconds{name=\"deployments\"}",
          "workqueue_longest_running_processor_seconds{name=\"deployments\"}",
          "workqueue_retries_total{name=\"deployments\"} 1");
    } finally {
      queue.shutDown();
    }
  }

  @Test
  void withoutARegistryTheHotPathNeverReadsTheClock() throws Exception {
    ClockWatchingCaller clock = new ClockWatchingCaller();
    RateLimiter<String> noClockLimiter = new ItemFastSlowRateLimiter<>(Duration.ZERO,
        Duration.ZERO, 1, Duration.ofMinutes(1), QueueClock.system());
    // the starvation bound is time itself: without it, a priority queue reads no clock either
    PriorityWorkQueue<String> priority = WorkQueues.builder("p").clock(clock).priorityMaxWait(Duration.ZERO)
        .buildPriority(noClockLimiter);
    WorkQueue<String> fifo = WorkQueues.builder("f").clock(clock).build();
    try {
      clock.watch(Thread.currentThread());
      for (WorkQueue<String> queue : java.util.List.of(priority, fifo)) {
        queue.add("a");
        queue.add("a");
        assertThat(queue.get()).contains("a");
        queue.add("a");
        queue.done("a");
        assertThat(queue.get()).contains("a");
        queue.done("a");
      }
      assertThat(clock.readsByWatchedThread).isZero();
    } finally {
      priority.shutDown();
      fifo.shutDown();
    }
  }

  @Test
  void metricsRegistryIsOptional() {
    MeterRegistry none = null;
    WorkQueue<String> queue = WorkQueues.builder("plain").meterRegistry(none).build();
    queue.add("a");
    assertThat(queue.len()).isEqualTo(1);
    queue.shutDown();
  }

  /** The real clock, counting reads made by one thread (the timer thread may read it). */
  private static final class ClockWatchingCaller implements QueueClock {
    private volatile Thread watched;
    private volatile int readsByWatchedThread;

    void watch(Thread thread) {
      watched = thread;
    }

    @Override
    public long nanoTime() {
      if (Thread.currentThread() == watched) {
        readsByWatchedThread++;
      }
      return System.nanoTime();
    }

    @Override
    public void awaitUntil(Condition wakeUp, long deadlineNanos) throws InterruptedException {
      QueueClock.system().awaitUntil(wakeUp, deadlineNanos);
    }
  }
}
