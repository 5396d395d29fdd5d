package io.kardia.runtime.leader;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Time for leader election: monotonic nanoseconds for every expiry decision (wall clocks jump),
 * wall time only for the timestamps written into the Lease. Tests inject a fake one.
 */
public interface LeaderClock {

    long nanoTime();

    Instant now();

    /** Waits {@code duration}; interruptible. */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Waits at most {@code timeoutNanos} on this clock for {@code result}: a renewal's deadline
     * is measured on the elector's clock, not on real time (a simulated clock overrides this).
     */
    default <T> T await(java.util.concurrent.CompletableFuture<T> result, long timeoutNanos)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        return result.get(timeoutNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    static LeaderClock system() {
        return new LeaderClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now().truncatedTo(ChronoUnit.MICROS);
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                // Pacing between attempts, not synchronisation: nothing else wakes an elector.
                Thread.sleep(duration);
            }
        };
    }
}
