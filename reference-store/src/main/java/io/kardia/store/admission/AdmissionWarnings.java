package io.kardia.store.admission;

import java.util.function.Consumer;

/**
 * Warnings admission raises for the write being handled on this thread (the store runs a write's
 * admission on the caller's thread), handed to the HTTP layer to send as {@code Warning} headers,
 * as kube-apiserver does. Without a receiver (the in-process client) they are logged.
 */
public final class AdmissionWarnings {
    private static final ThreadLocal<Consumer<String>> CURRENT = new ThreadLocal<>();

    private AdmissionWarnings() {
    }

    /** Until the returned scope is closed, warnings raised on this thread go to {@code receiver}. */
    public static Scope to(Consumer<String> receiver) {
        Consumer<String> previous = CURRENT.get();
        CURRENT.set(receiver);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** The span during which warnings go to one receiver. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Hands a warning to the current receiver; false when there is none (the caller logs it). */
    static boolean add(String warning) {
        Consumer<String> c = CURRENT.get();
        if (c == null) {
            return false;
        }
        c.accept(warning);
        return true;
    }
}
