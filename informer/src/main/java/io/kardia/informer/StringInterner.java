package io.kardia.informer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Deduplicates strings that recur across cached objects (label and annotation keys and values:
 * {@code app=web} on ten thousand pods is one pair of strings instead of ten thousand). Bounded:
 * once {@code maxEntries} distinct strings are held, new ones pass through unshared, so a stream
 * of unique values cannot grow it without limit. Thread-safe.
 */
public final class StringInterner {
    private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();
    private final int maxEntries;

    public StringInterner(int maxEntries) {
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive, got " + maxEntries);
        }
        this.maxEntries = maxEntries;
    }

    /** The shared instance equal to {@code s} (null stays null). */
    public String intern(String s) {
        if (s == null) {
            return null;
        }
        String shared = pool.get(s);
        if (shared != null) {
            return shared;
        }
        if (pool.size() >= maxEntries) {
            return s;
        }
        shared = pool.putIfAbsent(s, s);
        return shared == null ? s : shared;
    }

    /** Distinct strings held. */
    public int size() {
        return pool.size();
    }
}
