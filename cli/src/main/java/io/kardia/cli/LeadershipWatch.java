package io.kardia.cli;

import io.kardia.runtime.Manager;
import io.kardia.runtime.leader.LeadershipLostException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops a long-running command whose controller manager stopped because it lost its lease, so
 * the process never lingers healthy and idle: the command then ends with exit status 1 and a line
 * saying why, and a supervisor starts a fresh one that campaigns again.
 */
final class LeadershipWatch {
    private final AtomicReference<LeadershipLostException> lost = new AtomicReference<>();

    private LeadershipWatch() {
    }

    /** Watches {@code manager}; on a lost lease, asks {@code shutdown} to stop the command. */
    static LeadershipWatch start(Manager manager, Shutdown shutdown) {
        LeadershipWatch watch = new LeadershipWatch();
        Thread.ofVirtual().name("kardia-leadership-watch").start(() -> {
            try {
                manager.awaitTermination();
            } catch (InterruptedException e) {
                return;
            }
            manager.failure().filter(LeadershipLostException.class::isInstance).ifPresent(f -> {
                watch.lost.set((LeadershipLostException) f);
                shutdown.request();
            });
        });
        return watch;
    }

    /** After the command stopped: a lost lease as the failure the command ends with (exit status 1). */
    void throwIfLost() {
        Optional.ofNullable(lost.get()).ifPresent(e -> {
            throw new CommandFailedException(e.getMessage()
                    + "; stopped (exit status 1) so a fresh start can campaign again", e);
        });
    }
}
