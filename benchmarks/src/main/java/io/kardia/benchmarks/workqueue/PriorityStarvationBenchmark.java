package io.kardia.benchmarks.workqueue;

import io.kardia.workqueue.PriorityWorkQueue;
import io.kardia.workqueue.RateLimiters;
import io.kardia.workqueue.WorkQueues;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A flood of 100,000 high-priority items, kept at 100,000 (every item a worker takes is replaced by
 * a new one), against one low-priority item added first. The score is how long the low item
 * waited until a worker got it: with the starvation bound ({@code maxWaitMs}) it is the bound plus
 * one hand-off; with the bound off ({@code maxWaitMs=0}, strict priorities) it never comes out,
 * and the invocation gives up after {@code GIVE_UP_MS} (the score is then that cap). The aux
 * counter {@code takenBeforeLow} is how many high items went first.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(1)
@State(Scope.Benchmark)
public class PriorityStarvationBenchmark {
  static final int FLOOD = 100_000;
  static final long GIVE_UP_MS = 2_000;

  @Param({"50", "0"})
  public long maxWaitMs;

  PriorityWorkQueue<String> queue;

  @AuxCounters(AuxCounters.Type.EVENTS)
  @State(Scope.Thread)
  public static class Counts {
    public long takenBeforeLow;
    public long lowStarved;
  }

  @Setup(Level.Invocation)
  public void flood() {
    queue = WorkQueues.builder("starvation").priorityMaxWait(Duration.ofMillis(maxWaitMs))
        .buildPriority(RateLimiters.exponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1)));
    queue.add("low", PriorityWorkQueue.LOW_PRIORITY);
    for (int i = 0; i < FLOOD; i++) {
      queue.add("high-" + i, 10);
    }
  }

  @TearDown(Level.Invocation)
  public void shutDown() {
    queue.shutDown();
  }

  /** One worker takes items (and a producer's add replaces each) until the low item comes out. */
  @Benchmark
  public long lowItemWait(Counts counts) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.MILLISECONDS.toNanos(GIVE_UP_MS);
    int next = FLOOD;
    while (System.nanoTime() < deadline) {
      String item = queue.get().orElseThrow();
      queue.done(item);
      if (item.equals("low")) {
        return System.nanoTime() - start;
      }
      counts.takenBeforeLow++;
      queue.add("high-" + next++, 10);
    }
    counts.lowStarved++;
    return System.nanoTime() - start;
  }
}
