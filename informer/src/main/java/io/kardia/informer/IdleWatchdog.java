package io.kardia.informer;

import io.kardia.core.client.Watch;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a watch whose events pause longer than a limit: how a streaming list notices a server that
 * ignores {@code sendInitialEvents} (its stream goes quiet after the state, without the end
 * bookmark). Runs on its own virtual thread until stopped or fired.
 */
final class IdleWatchdog {
    private final Watch<?> watch;
    private final long limitNanos;
    /** The reflector's clock (a simulation's virtual one: its one park per pause ends at the virtual deadline). */
    private final java.util.function.LongSupplier nanoClock;
    private volatile long lastEventNanos;
    private volatile boolean stopped;
    private volatile boolean fired;
    private Thread thread;

    private IdleWatchdog(Watch<?> watch, Duration limit, java.util.function.LongSupplier nanoClock) {
        this.watch = watch;
        this.limitNanos = limit.toNanos();
        this.nanoClock = nanoClock;
        this.lastEventNanos = nanoClock.getAsLong();
    }

    static IdleWatchdog start(Watch<?> watch, Duration limit, java.util.function.LongSupplier nanoClock) {
        IdleWatchdog d = new IdleWatchdog(watch, limit, nanoClock);
        d.thread = Thread.ofVirtual().name("streaming-list-watchdog").start(d::run);
        return d;
    }

    /** An event arrived: the pause starts again. */
    void touch() {
        lastEventNanos = nanoClock.getAsLong();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    /** True if it closed the watch. */
    boolean fired() {
        return fired;
    }

    private void run() {
        while (!stopped) {
            long idle = nanoClock.getAsLong() - lastEventNanos;
            if (idle >= limitNanos) {
                fired = true;
                watch.close();
                return;
            }
            LockSupport.parkNanos(this, limitNanos - idle);
        }
    }
}
