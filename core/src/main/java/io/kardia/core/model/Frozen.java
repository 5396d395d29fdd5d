package io.kardia.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the collections that records receive (often Jackson's mutable ones) unmodifiable,
 * recursively for the free-form trees that hold unknown fields. Empty and null both become an
 * empty collection so callers never need null checks.
 */
public final class Frozen {
    private Frozen() {
    }

    public static <T> List<T> list(List<T> in) {
        if (in == null || in.isEmpty()) {
            return List.of();
        }
        // List.copyOf returns the same instance when it is already immutable: no copy on re-wrap.
        return List.copyOf(in);
    }

    public static <K, V> Map<K, V> map(Map<K, V> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        if (in instanceof FrozenMap) {
            return in;
        }
        return new FrozenMap<>(in);
    }

    /** Deep copy of a JSON-like tree (maps, lists, scalars) into unmodifiable collections. */
    public static Map<String, Object> tree(Map<String, Object> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        if (in instanceof FrozenTree) {
            return in;
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(in.size() * 2);
        in.forEach((k, v) -> copy.put(k, treeValue(v)));
        return new FrozenTree(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object treeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return tree((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            for (Object o : l) {
                copy.add(treeValue(o));
            }
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    /** Unmodifiable, insertion-ordered (JSON field order survives), and allows null values. */
    private static class FrozenMap<K, V> extends java.util.AbstractMap<K, V> {
        private final Map<K, V> delegate;

        FrozenMap(Map<K, V> in) {
            this.delegate = Collections.unmodifiableMap(new LinkedHashMap<>(in));
        }

        private FrozenMap(Map<K, V> already, boolean trusted) {
            this.delegate = Collections.unmodifiableMap(already);
        }

        @Override
        public java.util.Set<Entry<K, V>> entrySet() {
            return delegate.entrySet();
        }

        @Override
        public V get(Object key) {
            return delegate.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return delegate.containsKey(key);
        }

        @Override
        public int size() {
            return delegate.size();
        }
    }

    private static final class FrozenTree extends FrozenMap<String, Object> {
        FrozenTree(LinkedHashMap<String, Object> owned) {
            super(owned, true);
        }
    }
}
