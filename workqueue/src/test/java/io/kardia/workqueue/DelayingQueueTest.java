package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class DelayingQueueTest {
  private static final Logger LOG = LoggerFactory.getLogger(DelayingQueueTest.class);

  private final FakeClock clock = new FakeClock();
  private final AtomicInteger timerThreads = new AtomicInteger();
  private final ThreadFactory countingThreads = task -> {
    timerThreads.incrementAndGet();
    return Thread.ofPlatform().daemon().name("test-timer").unstarted(task);
  };
  private final DelayingQueue<String> queue = WorkQueues.builder("delaying")
      .clock(clock)
      .timerThreadFactory(countingThreads)
      .buildDelaying();

  @AfterEach
  void tearDown() {
    queue.shutDown();
  }

  private void advance(long millis) {
    clock.advance(Duration.ofMillis(millis));
    clock.awaitTimerCaughtUp();
  }

  @Test
  void addsAnItemOnlyOnceItsDelayHasPassed() throws Exception {
    queue.addAfter("a", Duration.ofMillis(10));
    advance(0);
    assertThat(queue.len()).isZero();

    advance(9);
    assertThat(queue.len()).as("1 ms early").isZero();

    advance(1);
    assertThat(queue.len()).isEqualTo(1);
    assertThat(queue.get()).contains("a");
  }

  @Test
  void aZeroOrNegativeDelayAddsAtOnce() {
    queue.addAfter("zero", Duration.ZERO);
    queue.addAfter("negative", Duration.ofMillis(-5));
    assertThat(queue.len()).isEqualTo(2);
  }

  @Test
  void aLaterAddAfterKeepsTheEarlierDueTime() throws Exception {
    queue.addAfter("sooner-second", Duration.ofMillis(20));
    queue.addAfter("sooner-second", Duration.ofMillis(5));
    queue.addAfter("sooner-first", Duration.ofMillis(5));
    queue.addAfter("sooner-first", Duration.ofMillis(20));

    advance(5);
    assertThat(queue.len()).isEqualTo(2);
    assertThat(List.of(queue.get().orElseThrow(), queue.get().orElseThrow()))
        .containsExactlyInAnyOrder("sooner-first", "sooner-second");
    queue.done("sooner-second");
    queue.done("sooner-first");

    advance(20);
    assertThat(queue.len()).as("the later due time was dropped, not kept as a second add").isZero();
  }

  @Test
  void aDelayedItemAlreadyWaitingIsDeduplicated() {
    queue.add("a");
    queue.addAfter("a", Duration.ofMillis(1));
    advance(1);
    assertThat(queue.len()).isEqualTo(1);
  }

  @Test
  void servesManyDelaysInDueOrderWithOneTimerThread() throws Exception {
    long seed = 20_251_125L;
    LOG.info("seed {}", seed);
    Random random = new Random(seed);
    int items = 1_000;
    List<Integer> delays = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      int delay = 1 + random.nextInt(100);
      delays.add(delay);
      queue.addAfter("item-" + i, Duration.ofMillis(delay));
    }

    for (int step = 1; step <= 100; step++) {
      advance(1);
      int dueByNow = step;
      List<String> taken = new ArrayList<>();
      for (Optional<String> item = queue.poll(Duration.ZERO); item.isPresent();
          item = queue.poll(Duration.ZERO)) {
        taken.add(item.get());
      }
      long dueThisStep = delays.stream().filter(d -> d == dueByNow).count();
      assertThat(taken).as("items due at %d ms", step).hasSize((int) dueThisStep);
      for (String item : taken) {
        assertThat(delays.get(Integer.parseInt(item.substring(5)))).isEqualTo(step);
      }
    }
    assertThat(timerThreads).hasValue(1);
  }

  @Test
  void shutDownStopsTheTimerAndDropsPendingItems() {
    DelayingWorkQueue<String> delaying = (DelayingWorkQueue<String>) queue;
    queue.addAfter("pending", Duration.ofMillis(10));
    assertThat(delaying.timer.pending()).isEqualTo(1);

    queue.shutDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> !delaying.timer.thread().isAlive());
    assertThat(delaying.timer.pending()).isZero();

    queue.addAfter("after-shutdown", Duration.ZERO);
    queue.addAfter("after-shutdown-delayed", Duration.ofMillis(1));
    assertThat(queue.len()).isZero();
    assertThat(delaying.timer.pending()).isZero();
  }

  @Test
  void shutDownWithDrainAlsoStopsTheTimer() throws Exception {
    DelayingWorkQueue<String> delaying = (DelayingWorkQueue<String>) queue;
    queue.shutDownWithDrain();
    await().atMost(Duration.ofSeconds(10)).until(() -> !delaying.timer.thread().isAlive());
  }

  @Test
  void worksOnTheRealClock() throws Exception {
    DelayingQueue<String> real = WorkQueues.builder("real").buildDelaying();
    try {
      real.addAfter("soon", Duration.ofMillis(20));
      assertThat(real.poll(Duration.ofSeconds(10))).contains("soon");
    } finally {
      real.shutDown();
    }
  }
}
