package io.kardia.informer;

import io.kardia.core.model.KubeObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The cache behind an informer. Readers are lock-free: objects and index buckets live in
 * concurrent maps, and each index bucket maps key to object directly so {@link #byIndex} needs no
 * second lookup. Writers are serialized by one lock, so the item map and the indexes never
 * disagree for long; a reader racing a write sees the object before or after that write (per
 * structure), never a torn object, since objects are immutable.
 *
 * <p>Sized for tens of thousands of objects: a write costs O(number of indexes), never O(bucket).
 */
public final class ThreadSafeIndexer<T extends KubeObject> implements Indexer<T> {
    /** The objects and their indexes; replaced as a whole by {@link #replaceAll}. */
    private record Contents<T>(ConcurrentHashMap<String, T> items,
                               ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, T>>> indices) {
    }

    private volatile Contents<T> contents = new Contents<>(new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
    /** Copy-on-write: changes only when an index is added. */
    private volatile Map<String, IndexFunction<T>> indexFunctions = Map.of();
    private final ReentrantLock writeLock = new ReentrantLock();

    /** A cache with the namespace index. */
    public ThreadSafeIndexer() {
        addIndex(Indexers.NAMESPACE, Indexers.byNamespace());
    }

    /**
     * Adds a named index and indexes the current contents with it.
     *
     * @throws IllegalArgumentException if an index by that name exists already
     */
    public void addIndex(String name, IndexFunction<T> function) {
        if (name == null || name.isBlank() || function == null) {
            throw new IllegalArgumentException("an index needs a non-blank name and a function, got name=" + name);
        }
        writeLock.lock();
        try {
            if (indexFunctions.containsKey(name)) {
                throw new IllegalArgumentException("index '" + name + "' already exists; indexes: " + indexFunctions.keySet());
            }
            Map<String, IndexFunction<T>> copy = new HashMap<>(indexFunctions);
            copy.put(name, function);
            Contents<T> c = contents;
            c.indices().put(name, buildIndex(function, c.items()));
            indexFunctions = Map.copyOf(copy);
        } finally {
            writeLock.unlock();
        }
    }

    private static <T extends KubeObject> ConcurrentHashMap<String, ConcurrentHashMap<String, T>> buildIndex(
            IndexFunction<T> function,
            Map<String, T> items) {
        var buckets = new ConcurrentHashMap<String, ConcurrentHashMap<String, T>>();
        items.forEach((key, obj) -> {
            for (String v : function.values(obj)) {
                buckets.computeIfAbsent(v, x -> new ConcurrentHashMap<>(4)).put(key, obj);
            }
        });
        return buckets;
    }

    /**
     * Replaces the whole contents in one step: the new objects and indexes are built aside and
     * then swapped in, so a reader sees either the old contents or the new, never a mix (a relist).
     */
    public void replaceAll(Map<String, T> newItems) {
        writeLock.lock();
        try {
            ConcurrentHashMap<String, T> items = new ConcurrentHashMap<>(Math.max(16, newItems.size() * 4 / 3 + 1));
            items.putAll(newItems);
            var indices = new ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, T>>>();
            indexFunctions.forEach((name, fn) -> indices.put(name, buildIndex(fn, items)));
            contents = new Contents<>(items, indices);
        } finally {
            writeLock.unlock();
        }
    }

    /** Stores {@code obj} under its key; returns the object it replaced, or null. */
    public T put(T obj) {
        String key = obj.key();
        writeLock.lock();
        try {
            T old = contents.items().put(key, obj);
            reindex(key, old, obj);
            return old;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes the object under {@code key}; returns it, or null if there was none. */
    public T remove(String key) {
        writeLock.lock();
        try {
            T old = contents.items().remove(key);
            if (old != null) {
                reindex(key, old, null);
            }
            return old;
        } finally {
            writeLock.unlock();
        }
    }

    /** Removes everything. */
    public void clear() {
        writeLock.lock();
        try {
            var indices = new ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, T>>>();
            indexFunctions.keySet().forEach(name -> indices.put(name, new ConcurrentHashMap<>()));
            contents = new Contents<>(new ConcurrentHashMap<>(), indices);
        } finally {
            writeLock.unlock();
        }
    }

    private void reindex(String key, T oldObj, T newObj) {
        var indices = contents.indices();
        for (Map.Entry<String, IndexFunction<T>> e : indexFunctions.entrySet()) {
            var buckets = indices.get(e.getKey());
            IndexFunction<T> fn = e.getValue();
            Collection<String> oldValues = oldObj == null ? List.of() : fn.values(oldObj);
            Collection<String> newValues = newObj == null ? List.of() : fn.values(newObj);
            for (String v : oldValues) {
                if (!newValues.contains(v)) {
                    buckets.computeIfPresent(v, (x, bucket) -> {
                        bucket.remove(key);
                        return bucket.isEmpty() ? null : bucket;
                    });
                }
            }
            for (String v : newValues) {
                buckets.computeIfAbsent(v, x -> new ConcurrentHashMap<>(4)).put(key, newObj);
            }
        }
    }

    @Override
    public Optional<T> getByKey(String key) {
        return Optional.ofNullable(contents.items().get(key));
    }

    /** The object under {@code key} or null: the allocation-free form of {@link #getByKey}. */
    public T get(String key) {
        return contents.items().get(key);
    }

    @Override
    public List<T> list() {
        return new ArrayList<>(contents.items().values());
    }

    @Override
    public List<String> listKeys() {
        return new ArrayList<>(contents.items().keySet());
    }

    @Override
    public int size() {
        return contents.items().size();
    }

    @Override
    public List<T> byIndex(String indexName, String value) {
        var bucket = buckets(indexName).get(value);
        return bucket == null ? List.of() : new ArrayList<>(bucket.values());
    }

    @Override
    public List<String> indexKeys(String indexName, String value) {
        var bucket = buckets(indexName).get(value);
        return bucket == null ? List.of() : new ArrayList<>(bucket.keySet());
    }

    @Override
    public Set<String> indexValues(String indexName) {
        return new HashSet<>(buckets(indexName).keySet());
    }

    @Override
    public Set<String> indexNames() {
        return indexFunctions.keySet();
    }

    private ConcurrentHashMap<String, ConcurrentHashMap<String, T>> buckets(String indexName) {
        var buckets = contents.indices().get(indexName);
        if (buckets == null) {
            throw new IllegalArgumentException("no index named '" + indexName + "'; indexes: " + indexFunctions.keySet());
        }
        return buckets;
    }
}
