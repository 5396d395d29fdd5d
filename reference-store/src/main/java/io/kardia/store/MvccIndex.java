package io.kardia.store;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Multi-version index: per group-resource, keys ({@code namespace/name} or {@code name}) in sorted
 * order, each with its version chain. Reads at a revision are consistent as long as that revision
 * is pinned or not older than the compaction revision.
 */
final class MvccIndex {
    private final Map<String, ConcurrentSkipListMap<String, KeyHistory>> resources = new ConcurrentHashMap<>();
    private final TreeMap<Long, Integer> pins = new TreeMap<>();
    private volatile long compactRevision;

    static String key(String namespace, String name) {
        return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
    }

    private ConcurrentSkipListMap<String, KeyHistory> keys(String resource) {
        return resources.computeIfAbsent(resource, r -> new ConcurrentSkipListMap<>());
    }

    KeyHistory history(String resource, String key) {
        var m = resources.get(resource);
        return m == null ? null : m.get(key);
    }

    /** Newest value including writes not yet visible (for conflict checks). */
    StoredObject latest(String resource, String key) {
        KeyHistory h = history(resource, key);
        return h == null ? null : h.latest();
    }

    StoredObject at(String resource, String key, long revision) {
        KeyHistory h = history(resource, key);
        return h == null ? null : h.at(revision);
    }

    /** Under the write lock. */
    void put(String resource, String key, long revision, StoredObject value) {
        keys(resource).computeIfAbsent(key, k -> new KeyHistory()).add(revision, value);
    }

    /** Recovery: the key's whole history becomes this one value (null: the key is gone). */
    void recoverPut(String resource, String key, StoredObject value) {
        if (value == null) {
            var m = resources.get(resource);
            if (m != null) {
                m.remove(key);
            }
            return;
        }
        KeyHistory h = new KeyHistory();
        h.add(value.revision(), value);
        keys(resource).put(key, h);
    }

    /** The keys of one namespace ({@code namespace} non-empty) or of all, in order. */
    NavigableMap<String, KeyHistory> range(String resource, String namespace) {
        ConcurrentSkipListMap<String, KeyHistory> m = resources.get(resource);
        if (m == null) {
            return new TreeMap<>();
        }
        if (namespace == null || namespace.isEmpty()) {
            return m;
        }
        return m.subMap(namespace + "/", true, namespace + "0", false);
    }

    Iterable<String> resourceNames() {
        return resources.keySet();
    }

    /** Under the write lock: drop old versions of one key, and the key itself once only a tombstone remains. */
    void compactKey(String resource, String key, long revision) {
        var m = resources.get(resource);
        if (m == null) {
            return;
        }
        KeyHistory h = m.get(key);
        if (h != null && h.compact(revision)) {
            m.remove(key, h);
        }
    }

    long compactRevision() {
        return compactRevision;
    }

    /**
     * Keeps reads at {@code revision} consistent until the pin is closed.
     *
     * @return false if that revision is already compacted
     */
    boolean pin(long revision) {
        synchronized (pins) {
            if (revision < compactRevision) {
                return false;
            }
            pins.merge(revision, 1, Integer::sum);
            return true;
        }
    }

    void unpin(long revision) {
        synchronized (pins) {
            pins.computeIfPresent(revision, (k, n) -> n == 1 ? null : n - 1);
        }
    }

    /** Moves the compaction revision forward to {@code desired}, but not past any pinned read; returns it. */
    long advanceCompactRevision(long desired) {
        synchronized (pins) {
            long target = pins.isEmpty() ? desired : Math.min(desired, pins.firstKey());
            if (target > compactRevision) {
                compactRevision = target;
            }
            return compactRevision;
        }
    }

    /** After recovery: nothing older than the recovered state exists. */
    void setCompactRevision(long revision) {
        synchronized (pins) {
            compactRevision = revision;
        }
    }
}
