package io.kardia.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of a successful reconcile.
 *
 * <ul>
 *   <li>{@link #done()}: the object matches its desired state; reconcile again only when something changes.</li>
 *   <li>{@link #requeueAfter(Duration)}: look again after a fixed delay (e.g. to poll an external system).</li>
 *   <li>{@link #requeue()}: look again soon, with the queue's per-key exponential backoff.</li>
 * </ul>
 *
 * To report a failure, throw: any exception is retried with backoff, a {@link TerminalException}
 * is not retried until the object changes.
 */
public record Result(Kind kind, Duration delay) {

    /** What the controller does with the key after the reconcile. */
    public enum Kind { DONE, REQUEUE_AFTER, REQUEUE }

    private static final Result DONE = new Result(Kind.DONE, Duration.ZERO);
    private static final Result REQUEUE = new Result(Kind.REQUEUE, Duration.ZERO);

    public Result {
        Objects.requireNonNull(kind, "kind");
        delay = delay == null ? Duration.ZERO : delay;
        if (delay.isNegative()) {
            throw new IllegalArgumentException("a requeue delay must not be negative, got " + delay);
        }
    }

    public static Result done() {
        return DONE;
    }

    public static Result requeue() {
        return REQUEUE;
    }

    public static Result requeueAfter(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        return new Result(Kind.REQUEUE_AFTER, delay);
    }
}
