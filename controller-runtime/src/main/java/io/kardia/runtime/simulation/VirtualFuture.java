package io.kardia.runtime.simulation;

import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A task's handle on a simulation's virtual time: its delay counts down with the virtual clock,
 * and it can be cancelled until it has run. The tasks return nothing, so {@code get} returns null.
 */
abstract class VirtualFuture implements ScheduledFuture<Object> {
    private final LongSupplier now;
    volatile boolean cancelled;
    volatile boolean done;

    VirtualFuture(LongSupplier now) {
        this.now = now;
    }

    /** The virtual time (nanoseconds) at which the task runs. */
    abstract long deadline();

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(deadline() - now.getAsLong(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (done) {
            return false;
        }
        cancelled = true;
        return true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public boolean isDone() {
        return done || cancelled;
    }

    @Override
    public Object get() {
        return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
        return null;
    }
}
