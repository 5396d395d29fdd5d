package io.kardia.benchmarks.workqueue;

import io.kardia.workqueue.DelayingQueue;
import io.kardia.workqueue.WorkQueues;
import io.kubernetes.client.extended.workqueue.DefaultDelayingQueue;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * 100,000 distinct keys added with delays of 0 to 10 ms, then drained with get/done by one
 * thread: the time from the first add to the last done. The floor is the 10 ms longest delay.
 * Compared: Kardia's delaying queue, client-java's DefaultDelayingQueue, and a bare
 * java.util.concurrent.DelayQueue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class DelayedDrainBenchmark {
  static final int ITEMS = 100_000;
  static final long MAX_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

  @Param({QueueUnderTest.KARDIA, QueueUnderTest.CLIENT_JAVA, "delay-queue"})
  public String queue;

  private String[] keys;
  private Duration[] delays;
  private long[] delayNanos;
  private Drainable underTest;

  @Setup(Level.Trial)
  public void prepare() {
    keys = Keys.of(ITEMS);
    delays = new Duration[ITEMS];
    delayNanos = new long[ITEMS];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < ITEMS; i++) {
      delayNanos[i] = random.nextLong(MAX_DELAY_NANOS + 1);
      delays[i] = Duration.ofNanos(delayNanos[i]);
    }
  }

  @Setup(Level.Invocation)
  public void newQueue() {
    underTest = switch (queue) {
      case QueueUnderTest.KARDIA -> new Kardia();
      case QueueUnderTest.CLIENT_JAVA -> new ClientJava();
      default -> new Bare();
    };
  }

  @TearDown(Level.Invocation)
  public void shutDown() {
    underTest.shutDown();
  }

  @Benchmark
  public int addAfterAndDrain() throws InterruptedException {
    for (int i = 0; i < ITEMS; i++) {
      underTest.addAfter(i);
    }
    int hash = 0;
    for (int i = 0; i < ITEMS; i++) {
      hash += underTest.takeAndDone(i).length();
    }
    return hash;
  }

  private interface Drainable {
    void addAfter(int index);

    /** Takes the next due key and marks it done; {@code drained} were taken before. */
    String takeAndDone(int drained) throws InterruptedException;

    void shutDown();
  }

  private final class Kardia implements Drainable {
    private final DelayingQueue<String> delaying = WorkQueues.builder("bench").buildDelaying();

    @Override
    public void addAfter(int index) {
      delaying.addAfter(keys[index], delays[index]);
    }

    @Override
    public String takeAndDone(int drained) throws InterruptedException {
      String key = delaying.get().orElseThrow();
      delaying.done(key);
      return key;
    }

    @Override
    public void shutDown() {
      delaying.shutDown();
    }
  }

  private final class ClientJava implements Drainable {
    private final ExecutorService timer = Executors.newSingleThreadExecutor();
    private final DefaultDelayingQueue<String> delaying = new DefaultDelayingQueue<>(timer);

    @Override
    public void addAfter(int index) {
      delaying.addAfter(keys[index], delays[index]);
    }

    @Override
    public String takeAndDone(int drained) throws InterruptedException {
      // Its get() blocks forever when the waiting loop stalls (seen with thousands of pending
      // items): fail the run with a clear message instead of hanging JMH.
      long deadline = System.nanoTime() + STALL_NANOS;
      while (delaying.length() == 0) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("client-java DefaultDelayingQueue stalled: nothing due"
              + " for " + TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS) + " s after " + drained
              + " of " + ITEMS + " items, all of which were due within 10 ms");
        }
        LockSupport.parkNanos(20_000);
      }
      String key = delaying.get();
      delaying.done(key);
      return key;
    }

    @Override
    public void shutDown() {
      delaying.shutDown();
      timer.shutdownNow();
    }
  }

  private final class Bare implements Drainable {
    private final DelayQueue<DelayedKey> delaying = new DelayQueue<>();

    @Override
    public void addAfter(int index) {
      delaying.add(new DelayedKey(keys[index], System.nanoTime() + delayNanos[index]));
    }

    @Override
    public String takeAndDone(int drained) throws InterruptedException {
      return delaying.take().key;
    }

    @Override
    public void shutDown() {
      delaying.clear();
    }
  }

  private record DelayedKey(String key, long dueNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(dueNanos, ((DelayedKey) other).dueNanos);
    }
  }
}
