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
    private volatile long lastEventNanos = System.nanoTime();
    private volatile boolean stopped;
    private volatile boolean fired;
    private Thread thread;

    private IdleWatchdog(Watch<?> watch, Duration limit) {
        this.watch = watch;
        this.limitNanos = limit.toNanos();
    }

    static IdleWatchdog start(Watch<?> watch, Duration limit) {
        IdleWatchdog d = new IdleWatchdog(watch, limit);
        d.thread = Thread.ofVirtual().name("streaming-list-watchdog").start(d::run);
        return d;
    }

    /** An event arrived: the pause starts again. */
    void touch() {
        lastEventNanos = System.nanoTime();
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
            long idle = System.nanoTime() - lastEventNanos;
            if (idle >= limitNanos) {
                fired = true;
                watch.close();
                return;
            }
            LockSupport.parkNanos(this, limitNanos - idle);
        }
    }
}
