package io.kardia.runtime.testkit;

import io.kardia.core.json.Json;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition on something observed repeatedly, for tests of level-triggered code.
 * On timeout the failure names what was awaited and shows the last observed value (objects as
 * JSON), which is usually all one needs to see why a controller did not converge.
 */
public final class Eventually {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final long POLL_NANOS = Duration.ofMillis(10).toNanos();

    private Eventually() {
    }

    /** {@link #eventually(Duration, String, Supplier, Predicate)} with the default 10 s timeout. */
    public static <T> T eventually(String what, Supplier<T> observe, Predicate<? super T> condition) {
        return eventually(DEFAULT_TIMEOUT, what, observe, condition);
    }

    /**
     * Observes until {@code condition} holds and returns the observed value that satisfied it.
     * Exceptions thrown by {@code observe} count as "not yet" and are reported if time runs out.
     *
     * @throws AssertionError after {@code timeout}, with the last observed value
     */
    public static <T> T eventually(Duration timeout, String what, Supplier<T> observe, Predicate<? super T> condition) {
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        int observations = 0;
        while (true) {
            try {
                last = observe.get();
                lastError = null;
                observations++;
                if (condition.test(last)) {
                    return last;
                }
            } catch (RuntimeException e) {
                lastError = e;
            }
            if (System.nanoTime() - deadline > 0) {
                break;
            }
            LockSupport.parkNanos(POLL_NANOS); // polling interval of an eventual check
        }
        String shown = lastError != null ? "the last observation failed: " + lastError : "last observed: " + render(last);
        AssertionError failure = new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                + " (" + observations + " observations); " + shown);
        if (lastError != null) {
            failure.initCause(lastError);
        }
        throw failure;
    }

    static String render(Object value) {
        if (value == null) {
            return "nothing (null)";
        }
        if (value instanceof java.util.Optional<?> opt) {
            return opt.isEmpty() ? "nothing (absent)" : render(opt.get());
        }
        if (value instanceof io.kardia.core.model.KubeObject || value instanceof Iterable<?>) {
            try {
                return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
            } catch (Exception e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }
}
