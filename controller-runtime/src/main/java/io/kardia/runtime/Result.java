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
 * A requeue may carry a priority ({@link #withPriority}, as controller-runtime's
 * {@code Result.Priority}): the key goes back into the controller's priority queue at that
 * priority instead of the default; the queue's starvation bound still applies.
 *
 * To report a failure, throw: any exception is retried with backoff, a {@link TerminalException}
 * is not retried until the object changes.
 *
 * @param priority the requeue's priority in the work queue, or null for the default
 */
public record Result(Kind kind, Duration delay, Integer priority) {

    /** What the controller does with the key after the reconcile. */
    public enum Kind { DONE, REQUEUE_AFTER, REQUEUE }

    private static final Result DONE = new Result(Kind.DONE, Duration.ZERO);
    private static final Result REQUEUE = new Result(Kind.REQUEUE, Duration.ZERO);

    public Result(Kind kind, Duration delay) {
        this(kind, delay, null);
    }

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

    /**
     * This requeue at {@code priority} (higher first; {@code PriorityWorkQueue.DEFAULT_PRIORITY} is 0).
     *
     * @throws IllegalStateException on {@link #done()}: there is nothing to requeue
     */
    public Result withPriority(int priority) {
        if (kind == Kind.DONE) {
            throw new IllegalStateException("Result.done() requeues nothing: a priority needs requeue() or requeueAfter(...)");
        }
        return new Result(kind, delay, priority);
    }
}
