package io.kardia.runtime.simulation;

import java.util.concurrent.Callable;

/**
 * Which simulated manager the current thread belongs to. A manager is built and started on a
 * thread marked with its name, and every thread it starts (informers, workers, timers), and the
 * threads those start in turn, inherit the mark.
 */
final class ManagerThreads {
    private final InheritableThreadLocal<String> manager = new InheritableThreadLocal<>();

    /** Runs {@code task} on the current thread as manager {@code name}'s; threads it starts are that manager's too. */
    <T> T runAs(String name, Callable<T> task) throws Exception {
        String was = manager.get();
        manager.set(name);
        try {
            return task.call();
        } finally {
            manager.set(was);
        }
    }

    /** The manager the current thread belongs to, or null (the test's own threads and tasks). */
    String current() {
        return manager.get();
    }
}
