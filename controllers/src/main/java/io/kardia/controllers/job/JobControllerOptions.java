package io.kardia.controllers.job;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Timing of the Job and CronJob controllers.
 *
 * @param clock          the time they judge deadlines, back-offs, TTLs and schedules by
 * @param maxRequeue     the longest they wait before looking again at an object with a deadline
 *                       ahead; with a fake clock in tests, a short value lets time moved forward
 *                       be noticed without waiting. Null: wait exactly until the deadline
 * @param podBackoffBase the wait before a failed pod is replaced, doubled per consecutive failure
 *                       (kube-controller-manager: 10 s)
 * @param podBackoffMax  the longest such wait (kube-controller-manager: 10 minutes)
 */
public record JobControllerOptions(Clock clock, Duration maxRequeue, Duration podBackoffBase, Duration podBackoffMax) {

    public JobControllerOptions {
        Objects.requireNonNull(clock, "clock");
        if (maxRequeue != null && !maxRequeue.isPositive()) {
            throw new IllegalArgumentException("maxRequeue must be positive, got " + maxRequeue);
        }
        if (podBackoffBase.isNegative() || podBackoffMax.compareTo(podBackoffBase) < 0) {
            throw new IllegalArgumentException("need 0 <= podBackoffBase <= podBackoffMax, got " + podBackoffBase
                    + " and " + podBackoffMax);
        }
    }

    /** kube-controller-manager's timings on the system clock. */
    public static JobControllerOptions defaults() {
        return new JobControllerOptions(Clock.systemUTC(), null, Duration.ofSeconds(10), Duration.ofMinutes(10));
    }

    /** These options judging time by {@code newClock}, looking again at least every {@code poll} (for fake clocks). */
    public JobControllerOptions withClock(Clock newClock, Duration poll) {
        return new JobControllerOptions(newClock, poll, podBackoffBase, podBackoffMax);
    }

    /** The wait after {@code failures} consecutive pod failures. */
    Duration backoff(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        Duration d = podBackoffBase.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(podBackoffMax) > 0 ? podBackoffMax : d;
    }

    /** {@code delay}, capped by {@link #maxRequeue} when set. */
    public Duration requeue(Duration delay) {
        Duration d = delay.isNegative() ? Duration.ZERO : delay;
        return maxRequeue != null && d.compareTo(maxRequeue) > 0 ? maxRequeue : d;
    }
}
