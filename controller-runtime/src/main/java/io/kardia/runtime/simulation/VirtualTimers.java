package io.kardia.runtime.simulation;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a simulation's virtual time: each task runs on a new
 * simulated thread when its deadline comes. The store's timed work (watch timeouts, bookmarks,
 * compaction) runs here, so nothing outside the simulation wakes its threads.
 */
final class VirtualTimers extends AbstractExecutorService implements ScheduledExecutorService {
    private final StepScheduler scheduler;
    private volatile boolean shutdown;

    VirtualTimers(StepScheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** A task's handle; periodic tasks re-arm it after each run. */
    private final class Handle extends VirtualFuture {
        private volatile ScheduledFuture<?> next;
        private volatile long deadline;

        Handle() {
            super(scheduler::now);
        }

        @Override
        long deadline() {
            return deadline;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!super.cancel(mayInterruptIfRunning)) {
                return false;
            }
            ScheduledFuture<?> n = next;
            if (n != null) {
                n.cancel(false);
            }
            return true;
        }
    }

    private Handle arm(Runnable task, long delayNanos, long periodNanos, boolean fixedRate) {
        Handle h = new Handle();
        arm(h, task, scheduler.now() + Math.max(0, delayNanos), periodNanos, fixedRate);
        return h;
    }

    private void arm(Handle h, Runnable task, long deadline, long periodNanos, boolean fixedRate) {
        h.deadline = deadline;
        h.next = scheduler.at(deadline, () -> scheduler.start("store-timer", () -> {
            if (h.cancelled || shutdown) {
                return;
            }
            task.run();
            if (periodNanos > 0 && !h.cancelled && !shutdown) {
                arm(h, task, fixedRate ? deadline + periodNanos : scheduler.now() + periodNanos, periodNanos, fixedRate);
            } else {
                h.done = true;
            }
        }));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return arm(command, unit.toNanos(delay), 0, false);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("the simulation's timers run Runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return arm(command, unit.toNanos(initialDelay), unit.toNanos(period), true);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return arm(command, unit.toNanos(initialDelay), unit.toNanos(delay), false);
    }

    @Override
    public void execute(Runnable command) {
        arm(command, 0, 0, false);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
