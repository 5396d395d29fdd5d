package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IdleRetentionTest {

  private static void cycle(WorkQueue<String> queue, String item) throws InterruptedException {
    queue.add(item);
    assertThat(queue.get()).contains(item);
    queue.done(item);
  }

  @Test
  void keepsAtMostTheConfiguredNumberOfDoneItems() throws Exception {
    WorkQueue<String> queue = WorkQueues.builder("retain").retainIdleItems(2).build();
    for (int i = 0; i < 5; i++) {
      cycle(queue, "item-" + i);
    }
    assertThat(((QueueCore<String>) queue).mappedItems()).isEqualTo(2);

    queue.add("item-4");
    queue.add("item-0");
    assertThat(queue.len()).as("a retained item and a dropped one are both added again")
        .isEqualTo(2);
    assertThat(queue.get()).contains("item-4");
    assertThat(queue.get()).contains("item-0");
  }

  @Test
  void aRetainedItemAddedAgainIsProcessedAgainAndDoneOnlyOnce() throws Exception {
    WorkQueue<String> queue = WorkQueues.builder("retain").build();
    cycle(queue, "a");
    assertThatThrownBy(() -> queue.done("a")).isInstanceOf(IllegalStateException.class);
    cycle(queue, "a");
    queue.add("a");
    queue.add("a");
    assertThat(queue.len()).isEqualTo(1);
  }

  @Test
  void retainsNothingWhenToldSo() throws Exception {
    WorkQueue<String> queue = WorkQueues.builder("retain").retainIdleItems(0).build();
    for (int i = 0; i < 5; i++) {
      cycle(queue, "item-" + i);
    }
    assertThat(((QueueCore<String>) queue).mappedItems()).isZero();
  }

  @Test
  void rejectsANegativeRetention() {
    assertThatThrownBy(() -> WorkQueues.builder("retain").retainIdleItems(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retainIdleItems");
  }
}
