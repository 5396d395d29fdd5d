package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitingQueueTest {
  private final FakeClock clock = new FakeClock();
  private final RateLimitingQueue<String> queue = WorkQueues.builder("rate-limited")
      .clock(clock)
      .buildRateLimiting(new ItemExponentialFailureRateLimiter<String>(Duration.ofMillis(5),
          Duration.ofSeconds(1), Duration.ofMinutes(1), clock));

  @AfterEach
  void tearDown() {
    queue.shutDown();
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
    clock.awaitTimerCaughtUp();
  }

  @Test
  void retriesAFailingItemWithGrowingBackoffUntilForgotten() throws Exception {
    queue.add("a");
    assertThat(queue.get()).contains("a");

    queue.addRateLimited("a");
    queue.done("a");
    assertThat(queue.numRequeues("a")).isEqualTo(1);
    advance(4);
    assertThat(queue.len()).isZero();
    advance(1);
    assertThat(queue.get()).contains("a");

    queue.addRateLimited("a");
    queue.done("a");
    advance(9);
    assertThat(queue.len()).as("second failure waits 10 ms").isZero();
    advance(1);
    assertThat(queue.get()).contains("a");
    assertThat(queue.numRequeues("a")).isEqualTo(2);

    queue.forget("a");
    queue.done("a");
    assertThat(queue.numRequeues("a")).isZero();
    queue.addRateLimited("a");
    advance(5);
    assertThat(queue.len()).as("back to the base delay").isEqualTo(1);
  }

  @Test
  void defaultLimiterIsTheControllerOne() throws Exception {
    RateLimitingQueue<String> defaults = WorkQueues.builder("defaults").clock(clock)
        .buildRateLimiting();
    try {
      defaults.addRateLimited("a");
      clock.advance(Duration.ofMillis(5));
      assertThat(defaults.poll(Duration.ofSeconds(10))).contains("a");
    } finally {
      defaults.shutDown();
    }
  }
}
