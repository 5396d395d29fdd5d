package io.kardia.runtime.simulation;

import io.kardia.runtime.ManagerClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.locks.Condition;

/**
 * A simulation's time: it moves only when every simulated thread waits, straight to the next
 * deadline. Managers, the store and controllers read it through {@link ManagerClock} and
 * {@link #wallClock()}; waiting on it is an ordinary timed wait, which the simulation's scheduler
 * keeps in virtual time.
 */
public final class VirtualClock implements ManagerClock {
    /** Wall time at the start of every simulation, so that timestamps repeat from run to run. */
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    private final StepScheduler scheduler;
    private final Clock wall = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return START.plusNanos(scheduler.now() - StepScheduler.ORIGIN_NANOS);
        }
    };

    VirtualClock(StepScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public long nanoTime() {
        return scheduler.now();
    }

    /** Virtual time elapsed since the simulation started. */
    public Duration elapsed() {
        return Duration.ofNanos(scheduler.now() - StepScheduler.ORIGIN_NANOS);
    }

    @Override
    public Clock wallClock() {
        return wall;
    }

    @Override
    public void awaitUntil(Condition wakeUp, long deadlineNanos) throws InterruptedException {
        if (deadlineNanos == NO_DEADLINE) {
            wakeUp.await();
        } else {
            long remaining = deadlineNanos - scheduler.now();
            if (remaining > 0) {
                // One park, no loop on System.nanoTime: returns at the virtual deadline (callers re-check).
                wakeUp.awaitNanos(remaining);
            }
        }
    }

    /**
     * Waits until signalled or the virtual deadline: a timer of the simulation signals
     * {@code wakeUp} then, from a simulated thread of its own.
     */
    @Override
    public void awaitUntil(java.util.concurrent.locks.Lock lock, Condition wakeUp, long deadlineNanos)
            throws InterruptedException {
        if (deadlineNanos == NO_DEADLINE) {
            wakeUp.await();
            return;
        }
        if (deadlineNanos - scheduler.now() <= 0) {
            return;
        }
        java.util.concurrent.Future<?> timer = scheduler.at(deadlineNanos, () -> scheduler.start("clock-signal", () -> {
            lock.lock();
            try {
                wakeUp.signalAll();
            } finally {
                lock.unlock();
            }
        }));
        try {
            wakeUp.await();
        } finally {
            timer.cancel(false);
        }
    }

    /** Waits for {@code result} until a virtual deadline (a simulation-task's timer signals it then). */
    @Override
    public <T> T await(java.util.concurrent.CompletableFuture<T> result, long timeoutNanos)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        Condition done = lock.newCondition();
        result.whenComplete((v, e) -> {
            lock.lock();
            try {
                done.signalAll();
            } finally {
                lock.unlock();
            }
        });
        long deadline = scheduler.now() + Math.max(0, timeoutNanos);
        lock.lock();
        try {
            while (!result.isDone()) {
                if (deadline - scheduler.now() <= 0) {
                    throw new java.util.concurrent.TimeoutException("no result within " + Duration.ofNanos(timeoutNanos)
                            + " of virtual time");
                }
                awaitUntil(lock, done, deadline);
            }
        } finally {
            lock.unlock();
        }
        return result.get();
    }

    /**
     * Parks until the virtual deadline. Not {@code Thread.sleep}: the JDK's sleep re-checks
     * {@link System#nanoTime()} and would sleep again after every virtual wake-up.
     */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        long end = scheduler.now() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = end - scheduler.now()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
