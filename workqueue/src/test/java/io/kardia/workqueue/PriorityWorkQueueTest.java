package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PriorityWorkQueueTest {
  private final FakeClock clock = new FakeClock();
  private final PriorityWorkQueue<String> queue = WorkQueues.builder("priority")
      .clock(clock)
      .buildPriority(RateLimiters.exponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1)));

  @AfterEach
  void tearDown() {
    queue.shutDown();
  }

  private List<String> takeAll() throws InterruptedException {
    List<String> taken = new ArrayList<>();
    for (Optional<String> item = queue.poll(Duration.ZERO); item.isPresent();
        item = queue.poll(Duration.ZERO)) {
      taken.add(item.get());
    }
    return taken;
  }

  @Test
  void handsOutHigherPrioritiesFirstAndFifoWithinOne() throws Exception {
    queue.add("low-1", -100);
    queue.add("default-1");
    queue.add("high-1", 10);
    queue.add("low-2", -100);
    queue.add("default-2", 0);
    queue.add("high-2", 10);

    assertThat(takeAll())
        .containsExactly("high-1", "high-2", "default-1", "default-2", "low-1", "low-2");
  }

  @Test
  void raisesAWaitingItemAddedAgainWithAHigherPriority() throws Exception {
    queue.add("a", -100);
    queue.add("b", -100);
    queue.add("c", 0);
    queue.add("d", 0);

    queue.add("b", 0);

    assertThat(queue.len()).isEqualTo(3 + 1);
    assertThat(takeAll())
        .as("b joins priority 0 in the order it was first added: before c and d")
        .containsExactly("b", "c", "d", "a");
  }

  @Test
  void neverLowersAWaitingItem() throws Exception {
    queue.add("a", 5);
    queue.add("b", 1);
    queue.add("a", -100);
    queue.add("a");

    assertThat(takeAll()).containsExactly("a", "b");
  }

  @Test
  void requeuesADirtyItemWithTheHighestPriorityItWasAddedWithWhileProcessing() throws Exception {
    queue.add("a", 0);
    assertThat(queue.get()).contains("a");
    queue.add("a", -100);
    queue.add("a", 7);
    queue.add("a", 3);
    queue.add("b", 5);

    queue.done("a");
    assertThat(takeAll()).containsExactly("a", "b");
  }

  @Test
  void dueDelayedItemsKeepTheirPriority() throws Exception {
    queue.addAfter("late-high", Duration.ofMillis(10), 10);
    queue.addAfter("late-low", Duration.ofMillis(10), -10);
    queue.add("now", 0);

    clock.advance(Duration.ofMillis(10));
    clock.awaitTimerCaughtUp();
    assertThat(takeAll()).containsExactly("late-high", "now", "late-low");
  }

  @Test
  void aDelayedItemScheduledAgainKeepsTheHigherPriorityAndEarlierTime() throws Exception {
    queue.addAfter("x", Duration.ofMillis(50), -10);
    queue.addAfter("x", Duration.ofMillis(100), 10);
    queue.add("other", 0);

    clock.advance(Duration.ofMillis(50));
    clock.awaitTimerCaughtUp();
    assertThat(takeAll()).containsExactly("x", "other");
  }

  @Test
  void rateLimitedAddsCarryTheirPriority() throws Exception {
    queue.addRateLimited("retry-high", 10);
    queue.addRateLimited("retry-low", -10);
    assertThat(queue.numRequeues("retry-high")).isEqualTo(1);
    queue.add("now");

    clock.advance(Duration.ofMillis(5));
    clock.awaitTimerCaughtUp();
    assertThat(takeAll()).containsExactly("retry-high", "now", "retry-low");
  }

  @Test
  void keepsOrderAcrossManyItemsAndPriorities() throws Exception {
    int items = 2_000;
    for (int i = 0; i < items; i++) {
      queue.add("item-" + i, i % 7);
    }
    List<String> taken = takeAll();

    assertThat(taken).hasSize(items);
    for (int i = 1; i < taken.size(); i++) {
      int previous = Integer.parseInt(taken.get(i - 1).substring(5));
      int current = Integer.parseInt(taken.get(i).substring(5));
      boolean ordered = previous % 7 > current % 7 || (previous % 7 == current % 7
          && previous < current);
      assertThat(ordered).as("%s before %s", taken.get(i - 1), taken.get(i)).isTrue();
    }
  }
}
