package io.kardia.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many producers and workers on one queue, randomized from a logged seed, bounded in operations.
 * Invariants: no item is handed to two workers at once; every item is processed by a get that
 * returned after its last add began (so none is lost); shutDownWithDrain returns only after every
 * item handed out before it began is done.
 *
 * <p>Sequence numbers from one global counter order the events: an add takes one before it
 * starts, a worker takes one after get returns and one before calling done.
 */
class WorkQueueStressTest {
  private static final Logger LOG = LoggerFactory.getLogger(WorkQueueStressTest.class);
  private static final int PRODUCERS = 4;
  private static final int WORKERS = 4;
  private static final int ADDS_PER_PRODUCER = 25_000;

  enum Kind { FIFO, PRIORITY, DELAYING }

  static Stream<Arguments> runs() {
    long[] seeds = {7L, 20_251_125L, 987_654_321L};
    List<Arguments> runs = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      for (long seed : seeds) {
        runs.add(Arguments.of(kind, seed));
      }
    }
    return runs.stream();
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void keepsItsInvariantsUnderConcurrency(Kind kind, long seed) throws Exception {
    LOG.info("stress {} with seed {}", kind, seed);
    Random seeds = new Random(seed);
    int keys = 50 + seeds.nextInt(2_000);
    WorkQueue<Integer> queue = switch (kind) {
      // Idle retention: a few (eviction under churn), the default, and none.
      case FIFO -> WorkQueues.builder("stress").retainIdleItems(16).build();
      case PRIORITY -> WorkQueues.builder("stress").buildPriority();
      case DELAYING -> WorkQueues.builder("stress").retainIdleItems(0).buildDelaying();
    };
    Integer[] items = new Integer[keys];
    for (int k = 0; k < keys; k++) {
      items[k] = k;
    }

    AtomicLong clock = new AtomicLong();
    AtomicLongArray lastAddBegan = new AtomicLongArray(keys);
    AtomicLongArray lastTaken = new AtomicLongArray(keys);
    AtomicBoolean[] inProcess = new AtomicBoolean[keys];
    for (int k = 0; k < keys; k++) {
      inProcess[k] = new AtomicBoolean();
      lastAddBegan.set(k, -1);
      lastTaken.set(k, -1);
    }
    AtomicInteger busy = new AtomicInteger();
    // Holds workers at the end so that items are surely in flight when the drain begins.
    AtomicBoolean holdWorkers = new AtomicBoolean();
    CountDownLatch releaseWorkers = new CountDownLatch(1);
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<long[]> processings = new ConcurrentLinkedQueue<>();

    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + WORKERS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        long producerSeed = seeds.nextLong();
        producers.add(pool.submit(() -> {
          Random random = new Random(producerSeed);
          start.await();
          for (int i = 0; i < ADDS_PER_PRODUCER; i++) {
            int k = random.nextInt(keys);
            lastAddBegan.accumulateAndGet(k, clock.incrementAndGet(), Math::max);
            switch (kind) {
              case FIFO -> queue.add(items[k]);
              case PRIORITY -> ((PriorityWorkQueue<Integer>) queue).add(items[k],
                  random.nextInt(5) - 2);
              case DELAYING -> {
                if (random.nextInt(4) == 0) {
                  ((DelayingQueue<Integer>) queue).addAfter(items[k],
                      Duration.ofNanos(random.nextInt(2_000_000)));
                } else {
                  queue.add(items[k]);
                }
              }
            }
          }
          return null;
        }));
      }
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        long workerSeed = seeds.nextLong();
        workers.add(pool.submit(() -> {
          Random random = new Random(workerSeed);
          start.await();
          long sink = 0;
          while (true) {
            Optional<Integer> next = queue.get();
            if (next.isEmpty()) {
              return sink;
            }
            int k = next.get();
            long taken = clock.incrementAndGet();
            lastTaken.accumulateAndGet(k, taken, Math::max);
            busy.incrementAndGet();
            if (!inProcess[k].compareAndSet(false, true)) {
              violations.add("item " + k + " handed to two workers at once");
            }
            if (holdWorkers.get()) {
              releaseWorkers.await();
            }
            int work = random.nextInt(100_000);
            for (int i = 0; i < work; i++) {
              sink += i ^ k;
            }
            if (random.nextInt(64) == 0) {
              Thread.yield();
            }
            inProcess[k].set(false);
            busy.decrementAndGet();
            long doneBegan = clock.incrementAndGet();
            processings.add(new long[] {k, taken, doneBegan});
            queue.done(items[k]);
          }
        }));
      }

      start.countDown();
      for (Future<?> producer : producers) {
        producer.get(30, TimeUnit.SECONDS);
      }
      if (queue instanceof DelayingWorkQueue<?> delaying) {
        await().atMost(Duration.ofSeconds(30)).until(() -> delaying.timer.pending() == 0);
      }
      // A last wave of adds, with workers held once they take an item, so that items are surely
      // in flight when the drain begins; they are released once it has begun.
      holdWorkers.set(true);
      for (int k = 0; k < keys; k++) {
        lastAddBegan.accumulateAndGet(k, clock.incrementAndGet(), Math::max);
        queue.add(items[k]);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> busy.get() > 0);
      long drainBegan = clock.incrementAndGet();
      Future<?> drain = pool.submit(() -> {
        queue.shutDownWithDrain();
        return null;
      });
      await().atMost(Duration.ofSeconds(30)).until(queue::isShuttingDown);
      releaseWorkers.countDown();
      drain.get(30, TimeUnit.SECONDS);
      long drainEnded = clock.incrementAndGet();
      for (Future<?> worker : workers) {
        worker.get(30, TimeUnit.SECONDS);
      }

      assertThat(violations).isEmpty();
      for (int k = 0; k < keys; k++) {
        if (lastAddBegan.get(k) >= 0) {
          assertThat(lastTaken.get(k))
              .as("item %d (seed %d) processed after its last add", k, seed)
              .isGreaterThan(lastAddBegan.get(k));
        }
      }
      long inFlightAtDrain = 0;
      for (long[] processing : processings) {
        if (processing[1] < drainBegan) {
          inFlightAtDrain += processing[2] > drainBegan ? 1 : 0;
          assertThat(processing[2])
              .as("item %d taken before the drain began was done before it returned (seed %d)",
                  processing[0], seed)
              .isLessThan(drainEnded);
        }
      }
      LOG.info("stress {} seed {}: {} keys, {} processings, {} in flight when the drain began",
          kind, seed, keys, processings.size(), inFlightAtDrain);
      assertThat(queue.len()).isZero();
    } finally {
      pool.shutdownNow();
      queue.shutDown();
    }
  }
}
