package io.kardia.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link SimulationClock} that moves only when {@link #advance} is called: work due now runs at
 * once (on the executor it was scheduled on), work due later waits until the clock is advanced
 * past it. Tests use it to let a pod run for minutes, crash-loop or become ready late without
 * waiting.
 */
public final class ManualSimulationClock implements SimulationClock {
    private record Pending(Instant due, long seq, ScheduledExecutorService executor, Runnable task) {
    }

    private final PriorityQueue<Pending> pending = new PriorityQueue<>(
            (a, b) -> a.due().equals(b.due()) ? Long.compare(a.seq(), b.seq()) : a.due().compareTo(b.due()));
    private final AtomicLong seq = new AtomicLong();
    private Instant now;

    public ManualSimulationClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public void schedule(ScheduledExecutorService executor, Runnable task, Duration delay) {
        synchronized (this) {
            if (delay.isPositive()) {
                pending.add(new Pending(now.plus(delay), seq.incrementAndGet(), executor, task));
                return;
            }
        }
        run(executor, task);
    }

    /** Moves the clock forward and runs (on their executors) the tasks that became due. */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock cannot go back: " + by);
        }
        List<Pending> due = new ArrayList<>();
        synchronized (this) {
            now = now.plus(by);
            while (!pending.isEmpty() && !pending.peek().due().isAfter(now)) {
                due.add(pending.poll());
            }
        }
        due.forEach(p -> run(p.executor(), p.task()));
    }

    /** How many tasks wait for the clock to move. */
    public synchronized int pendingTasks() {
        return pending.size();
    }

    private static void run(ScheduledExecutorService executor, Runnable task) {
        if (!executor.isShutdown()) {
            executor.execute(task);
        }
    }
}
