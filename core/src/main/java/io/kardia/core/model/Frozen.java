package io.kardia.core.model;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Makes the collections that records receive (often Jackson's mutable ones) unmodifiable,
 * recursively for the free-form trees that hold unknown fields. Empty and null both become an
 * empty collection so callers never need null checks.
 *
 * <p>The maps are compact: keys and values side by side in one array, found by a linear scan when
 * small and through an open-addressing index when large. An informer caches tens of thousands
 * of objects made mostly of small maps, so this is where a cached object's memory goes; a
 * {@code LinkedHashMap} costs about five times as much per entry.
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
        if (in instanceof CompactMap) {
            return in;
        }
        Object[] pairs = new Object[in.size() * 2];
        int i = 0;
        for (Map.Entry<K, V> e : in.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = e.getValue();
        }
        return new CompactMap<>(pairs, in.size(), false);
    }

    /** Deep copy of a JSON-like tree (maps, lists, scalars) into unmodifiable collections. */
    public static Map<String, Object> tree(Map<String, Object> in) {
        if (in == null || in.isEmpty()) {
            return Map.of();
        }
        if (in instanceof FrozenTree) {
            return in;
        }
        Object[] pairs = new Object[in.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : in.entrySet()) {
            pairs[i++] = e.getKey();
            pairs[i++] = treeValue(e.getValue());
        }
        return new FrozenTree(pairs, in.size());
    }

    /**
     * A frozen tree from the first {@code count} key/value pairs of {@code pairs} (key at even
     * index, value after it); a repeated key keeps its first position and its last value, as
     * JSON decoders do. The array is copied, so callers may reuse it.
     */
    public static Map<String, Object> treeOfPairs(Object[] pairs, int count) {
        if (count == 0) {
            return Map.of();
        }
        Object[] owned = Arrays.copyOf(pairs, count * 2);
        for (int i = 0; i < owned.length; i += 2) {
            if (!(owned[i] instanceof String)) {
                throw new IllegalArgumentException("tree keys must be strings, got " + owned[i]);
            }
            owned[i + 1] = treeValue(owned[i + 1]);
        }
        return new FrozenTree(owned, count);
    }

    /** A frozen list of tree values from the first {@code count} elements of {@code items} (copied). */
    public static List<Object> treeListOf(Object[] items, int count) {
        if (count == 0) {
            return List.of();
        }
        Object[] owned = Arrays.copyOf(items, count);
        for (int i = 0; i < owned.length; i++) {
            owned[i] = treeValue(owned[i]);
        }
        return new FrozenList(owned);
    }

    @SuppressWarnings("unchecked")
    private static Object treeValue(Object v) {
        if (v instanceof FrozenTree || v instanceof FrozenList || !(v instanceof Map || v instanceof List)) {
            return v;
        }
        if (v instanceof Map<?, ?> m) {
            return tree((Map<String, Object>) m);
        }
        List<?> l = (List<?>) v;
        if (l.isEmpty()) {
            return List.of();
        }
        Object[] copy = new Object[l.size()];
        int i = 0;
        for (Object o : l) {
            copy[i++] = treeValue(o);
        }
        return new FrozenList(copy);
    }

    /**
     * Unmodifiable, insertion-ordered (JSON field order survives), allows null values, not null
     * keys. Keys and values alternate in one array; maps above {@link #LINEAR_MAX} entries also
     * keep a hash index of positions.
     */
    private static class CompactMap<K, V> extends AbstractMap<K, V> {
        /** Up to this size a linear scan of the keys beats hashing (one or two cache lines). */
        static final int LINEAR_MAX = 8;

        private final Object[] pairs;
        /** Slot → position + 1 (0 = empty); null for small maps. */
        private final int[] index;

        /**
         * @param pairs   key/value pairs, possibly with repeated keys; owned by the map when
         *                {@code trusted} and of exactly {@code count * 2} length
         */
        CompactMap(Object[] pairs, int count, boolean trusted) {
            Object[] kv = trusted && pairs.length == count * 2 ? pairs : Arrays.copyOf(pairs, count * 2);
            int[] slots = count > LINEAR_MAX ? new int[Integer.highestOneBit(count * 2 - 1) << 1] : null;
            int size = 0;
            for (int i = 0; i < count; i++) {
                Object key = kv[2 * i];
                if (key == null) {
                    throw new NullPointerException("frozen maps do not allow null keys");
                }
                int at = slots == null ? linearFind(kv, size, key) : indexFind(kv, slots, key);
                if (at >= 0) {
                    kv[2 * at + 1] = kv[2 * i + 1];
                    continue;
                }
                kv[2 * size] = key;
                kv[2 * size + 1] = kv[2 * i + 1];
                if (slots != null) {
                    indexInsert(slots, key, size);
                }
                size++;
            }
            this.pairs = size == count ? kv : Arrays.copyOf(kv, size * 2);
            this.index = slots;
        }

        private static int linearFind(Object[] kv, int size, Object key) {
            for (int i = 0; i < size; i++) {
                Object k = kv[2 * i];
                if (k == key || k.equals(key)) {
                    return i;
                }
            }
            return -1;
        }

        private static int spread(Object key) {
            int h = key.hashCode();
            return h ^ (h >>> 16);
        }

        private static int indexFind(Object[] kv, int[] slots, Object key) {
            int mask = slots.length - 1;
            for (int s = spread(key) & mask; ; s = (s + 1) & mask) {
                int p = slots[s];
                if (p == 0) {
                    return -1;
                }
                Object k = kv[2 * (p - 1)];
                if (k == key || k.equals(key)) {
                    return p - 1;
                }
            }
        }

        private static void indexInsert(int[] slots, Object key, int position) {
            int mask = slots.length - 1;
            int s = spread(key) & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = position + 1;
        }

        private int find(Object key) {
            if (key == null) {
                return -1;
            }
            return index == null ? linearFind(pairs, pairs.length / 2, key) : indexFind(pairs, index, key);
        }

        @Override
        public int size() {
            return pairs.length / 2;
        }

        @Override
        public boolean isEmpty() {
            return pairs.length == 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public V get(Object key) {
            int at = find(key);
            return at < 0 ? null : (V) pairs[2 * at + 1];
        }

        @Override
        public boolean containsKey(Object key) {
            return find(key) >= 0;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void forEach(BiConsumer<? super K, ? super V> action) {
            for (int i = 0; i < pairs.length; i += 2) {
                action.accept((K) pairs[i], (V) pairs[i + 1]);
            }
        }

        @Override
        public Set<Entry<K, V>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<K, V>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < pairs.length;
                        }

                        @Override
                        @SuppressWarnings("unchecked")
                        public Entry<K, V> next() {
                            if (next >= pairs.length) {
                                throw new NoSuchElementException();
                            }
                            Entry<K, V> e = new SimpleImmutableEntry<>((K) pairs[next], (V) pairs[next + 1]);
                            next += 2;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return pairs.length / 2;
                }
            };
        }
    }

    /** A map whose every nested map and list is frozen too: re-freezing it is free. */
    private static final class FrozenTree extends CompactMap<String, Object> {
        FrozenTree(Object[] ownedPairs, int count) {
            super(ownedPairs, count, true);
        }
    }

    /** The lists inside frozen trees: unmodifiable, null elements allowed (JSON arrays may hold null). */
    private static final class FrozenList extends AbstractList<Object> implements RandomAccess {
        private final Object[] items;

        FrozenList(Object[] owned) {
            this.items = owned;
        }

        @Override
        public Object get(int i) {
            return items[i];
        }

        @Override
        public int size() {
            return items.length;
        }
    }
}
