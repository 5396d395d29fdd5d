package io.kardia.benchmarks.workqueue;

import io.kardia.workqueue.WorkQueue;
import io.kardia.workqueue.WorkQueues;
import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/** The queues compared, behind one small interface (one kind per JMH fork, so no pollution). */
interface QueueUnderTest {
  /** Kardia's FIFO rate-limiting queue, as a controller uses it. */
  String KARDIA = "kardia";
  /** Kardia's rate-limited priority queue. */
  String KARDIA_PRIORITY = "kardia-priority";
  /** io.kubernetes:client-java-extended's DefaultRateLimitingQueue. */
  String CLIENT_JAVA = "client-java";
  /** A bare bounded LinkedBlockingQueue: offer/take, no dedup, no processing set. */
  String HANDOFF = "handoff";

  void add(String key);

  /** Blocks for the next key. */
  String take() throws InterruptedException;

  void done(String key);

  void shutDown();

  static QueueUnderTest create(String kind, int capacity) {
    return switch (kind) {
      case KARDIA -> new Kardia(WorkQueues.builder("bench").buildRateLimiting());
      case KARDIA_PRIORITY -> new Kardia(WorkQueues.builder("bench").buildPriority());
      case CLIENT_JAVA -> new ClientJava();
      case HANDOFF -> new HandOff(capacity);
      default -> throw new IllegalArgumentException("unknown queue kind: " + kind);
    };
  }

  final class Kardia implements QueueUnderTest {
    private final WorkQueue<String> queue;

    Kardia(WorkQueue<String> queue) {
      this.queue = queue;
    }

    @Override
    public void add(String key) {
      queue.add(key);
    }

    @Override
    public String take() throws InterruptedException {
      return queue.get().orElseThrow();
    }

    @Override
    public void done(String key) {
      queue.done(key);
    }

    @Override
    public void shutDown() {
      queue.shutDown();
    }
  }

  final class ClientJava implements QueueUnderTest {
    private final ExecutorService timer = Executors.newSingleThreadExecutor();
    private final DefaultRateLimitingQueue<String> queue = new DefaultRateLimitingQueue<>(timer);

    @Override
    public void add(String key) {
      queue.add(key);
    }

    @Override
    public String take() throws InterruptedException {
      return queue.get();
    }

    @Override
    public void done(String key) {
      queue.done(key);
    }

    @Override
    public void shutDown() {
      queue.shutDown();
      timer.shutdownNow();
    }
  }

  final class HandOff implements QueueUnderTest {
    private final LinkedBlockingQueue<String> queue;

    HandOff(int capacity) {
      queue = new LinkedBlockingQueue<>(capacity);
    }

    @Override
    public void add(String key) {
      queue.offer(key);
    }

    @Override
    public String take() throws InterruptedException {
      return queue.take();
    }

    @Override
    public void done(String key) {
      // A hand-off has no processing set.
    }

    @Override
    public void shutDown() {
      queue.clear();
    }
  }
}
