package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The starvation bound of priority queues: an item that has waited longer than the bound is
 * handed out next, ahead of any higher priority, while a steady flood keeps arriving.
 */
class PriorityStarvationTest {
  private static final Duration BOUND = Duration.ofSeconds(5);
  private final FakeClock clock = new FakeClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private PriorityWorkQueue<String> queue;

  @AfterEach
  void tearDown() {
    queue.shutDown();
  }

  private PriorityWorkQueue<String> queue(Duration bound) {
    queue = WorkQueues.builder("starvation").clock(clock).meterRegistry(registry).priorityMaxWait(bound)
        .buildPriority(RateLimiters.exponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1)));
    return queue;
  }

  /** Workers take one item every 100 ms of fake time while 2 high-priority items arrive per take. */
  private int takesUntil(String wanted, int maxTakes) throws InterruptedException {
    int next = 0;
    for (int take = 1; take <= maxTakes; take++) {
      queue.add("high-" + next++, 10);
      queue.add("high-" + next++, 10);
      clock.advance(Duration.ofMillis(100));
      String item = queue.poll(Duration.ZERO).orElseThrow();
      queue.done(item);
      if (item.equals(wanted)) {
        return take;
      }
    }
    return -1;
  }

  @Test
  void aLowPriorityItemIsHandedOutOnceItReachesTheBoundDespiteAFlood() throws Exception {
    queue(BOUND);
    queue.add("low", -100);

    int take = takesUntil("low", 1_000);

    assertThat(take).as("handed out at the first take past the 5 s bound (50 takes of 100 ms)").isEqualTo(50);
    assertThat(registry.get("workqueue.priority.aged").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("workqueue.priority.queue.duration").tag("priority", "-100").timer().count()).isEqualTo(1);
    assertThat(registry.get("workqueue.priority.queue.duration").tag("priority", "10").timer().count()).isEqualTo(49);
  }

  @Test
  void withoutABoundTheFloodStarvesIt() throws Exception {
    queue(Duration.ZERO);
    queue.add("low", -100);

    assertThat(takesUntil("low", 1_000)).isEqualTo(-1);
  }

  @Test
  void beforeTheBoundPrioritiesAreStrictAndOverdueItemsGoOldestFirst() throws Exception {
    queue(BOUND);
    queue.add("low-1", -100);
    clock.advance(Duration.ofSeconds(1));
    queue.add("low-2", -50);
    queue.add("high", 10);
    assertThat(queue.poll(Duration.ZERO)).contains("high");

    clock.advance(BOUND);
    queue.add("high-2", 10);
    assertThat(queue.poll(Duration.ZERO)).as("overdue, oldest first").contains("low-1");
    assertThat(queue.poll(Duration.ZERO)).contains("low-2");
    assertThat(queue.poll(Duration.ZERO)).contains("high-2");
  }

  @Test
  void theBoundIsOnByDefaultAndANegativeOneIsRefused() {
    assertThat(WorkQueueBuilder.DEFAULT_PRIORITY_MAX_WAIT).isPositive();
    queue(BOUND);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkQueues.builder("x").priorityMaxWait(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priorityMaxWait must not be negative");
  }
}
