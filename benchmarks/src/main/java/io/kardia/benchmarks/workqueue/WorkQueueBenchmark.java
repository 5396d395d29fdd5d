package io.kardia.benchmarks.workqueue;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Control;

/**
 * Kardia's work queue against client-java's DefaultRateLimitingQueue and a bare
 * LinkedBlockingQueue hand-off, on a key space of 10,000.
 *
 * <ul>
 *   <li>{@code contended}: 2 producers add random keys, 2 workers get/done; the workers' ops/s is
 *       items processed per second. {@code contended1x1}: the same with one of each.</li>
 *   <li>{@code addGetDone}: one thread adds a key, gets it and marks it done.</li>
 *   <li>{@code addWaiting}: one thread adds keys that are all already waiting (the dedup path);
 *       run with {@code -prof gc} for gc.alloc.rate.norm, bytes allocated per add.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WorkQueueBenchmark {
  static final int KEY_SPACE = 10_000;

  @State(Scope.Group)
  public static class Shared {
    @Param({QueueUnderTest.KARDIA, QueueUnderTest.KARDIA_PRIORITY, QueueUnderTest.CLIENT_JAVA,
        QueueUnderTest.HANDOFF})
    public String queue;

    QueueUnderTest underTest;
    String[] keys;

    @Setup(Level.Trial)
    public void setUp() {
      keys = Keys.of(KEY_SPACE);
      underTest = QueueUnderTest.create(queue, KEY_SPACE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      underTest.shutDown();
    }
  }

  /** Per-thread position in a pseudo-random walk over the keys (xorshift, no allocation). */
  @State(Scope.Thread)
  public static class Cursor {
    private int x = (int) System.nanoTime() | 1;

    int next() {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x & 0x7fffffff) % KEY_SPACE;
    }
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(2)
  public void producer(Shared shared, Cursor cursor) {
    shared.underTest.add(shared.keys[cursor.next()]);
  }

  @Benchmark
  @Group("contended")
  @GroupThreads(2)
  public String worker(Shared shared, Control control) throws InterruptedException {
    if (control.stopMeasurement) {
      // Never block once the iteration is over: the producers may already have stopped.
      return null;
    }
    String key = shared.underTest.take();
    shared.underTest.done(key);
    return key;
  }

  /** The same with one producer and one worker: not oversubscribed on a 2-core machine. */
  @Benchmark
  @Group("contended1x1")
  @GroupThreads(1)
  public void producer1x1(Shared shared, Cursor cursor) {
    producer(shared, cursor);
  }

  @Benchmark
  @Group("contended1x1")
  @GroupThreads(1)
  public String worker1x1(Shared shared, Control control) throws InterruptedException {
    return worker(shared, control);
  }

  @State(Scope.Thread)
  public static class Single {
    @Param({QueueUnderTest.KARDIA, QueueUnderTest.KARDIA_PRIORITY, QueueUnderTest.CLIENT_JAVA,
        QueueUnderTest.HANDOFF})
    public String queue;

    QueueUnderTest underTest;
    String[] keys;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      keys = Keys.of(KEY_SPACE);
      underTest = QueueUnderTest.create(queue, KEY_SPACE);
      if (prefill()) {
        for (String key : keys) {
          underTest.add(key);
        }
      }
    }

    boolean prefill() {
      return false;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      underTest.shutDown();
    }

    String nextKey() {
      int i = next + 1;
      next = i == KEY_SPACE ? 0 : i;
      return keys[next];
    }
  }

  @Benchmark
  public String addGetDone(Single single) throws InterruptedException {
    single.underTest.add(single.nextKey());
    String key = single.underTest.take();
    single.underTest.done(key);
    return key;
  }

  /** Every key already waiting, so that each add is a dedup. */
  @State(Scope.Thread)
  public static class AllWaiting extends Single {
    @Override
    boolean prefill() {
      return true;
    }
  }

  @Benchmark
  public void addWaiting(AllWaiting waiting) {
    waiting.underTest.add(waiting.nextKey());
  }
}
