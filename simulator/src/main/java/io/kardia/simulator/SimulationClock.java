package io.kardia.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The time simulated pods live by: when they start, finish, restart and become ready. The
 * {@linkplain #system() system clock} is real time; a {@link ManualSimulationClock} moves only
 * when a test advances it, so a pod that "runs for an hour" completes at once.
 */
public interface SimulationClock {

    Instant now();

    /** Runs {@code task} on {@code executor} once {@code delay} of this clock's time has passed. */
    void schedule(ScheduledExecutorService executor, Runnable task, Duration delay);

    /** Real time. */
    static SimulationClock system() {
        return SystemSimulationClock.INSTANCE;
    }

    /** Real time. */
    final class SystemSimulationClock implements SimulationClock {
        static final SystemSimulationClock INSTANCE = new SystemSimulationClock();

        private SystemSimulationClock() {
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void schedule(ScheduledExecutorService executor, Runnable task, Duration delay) {
            executor.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }
}
