package io.kardia.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When a long-running command stops: on Ctrl-C / SIGTERM (a JVM shutdown hook), or when
 * {@link #request()} is called (in-process callers, tests). The stop action runs exactly once,
 * and {@link #awaitThenStop} returns only after it finished.
 */
final class Shutdown {
    private final boolean onSignal;
    private final CountDownLatch requested = new CountDownLatch(1);

    private Shutdown(boolean onSignal) {
        this.onSignal = onSignal;
    }

    /** Stops on Ctrl-C / SIGTERM (and on {@link #request()}). */
    static Shutdown onSignal() {
        return new Shutdown(true);
    }

    /** Stops on {@link #request()} only. */
    static Shutdown onRequest() {
        return new Shutdown(false);
    }

    void request() {
        requested.countDown();
    }

    /** Blocks until a stop is asked for, then runs {@code stop}. */
    void awaitThenStop(Runnable stop) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable once = () -> {
            if (done.compareAndSet(false, true)) {
                stop.run();
            }
        };
        Thread hook = new Thread(() -> {
            once.run();
            requested.countDown();
        }, "kardia-shutdown");
        if (onSignal) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        try {
            requested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        once.run();
        if (onSignal) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook did the work
            }
        }
    }
}
