package io.kardia.informer;

/**
 * A small, lossy table that hands out one shared instance of immutable values met again and
 * again: the label map every pod of a ReplicaSet carries, their owner-reference list. A cache of
 * tens of thousands of objects then keeps one copy per distinct value instead of one per object.
 *
 * <p>Bounded by construction (a fixed table; a new value replaces whatever shared its slot) and
 * without per-value bookkeeping, so values that never repeat cost nothing: a value is kept on its
 * second sighting only. Unsynchronised on purpose: the values are immutable and published
 * through their final fields; a racing reader sees either value, and both are equal.
 */
final class SharedValues<T> {
    private static final int SLOTS = 1 << 12;
    private final Object[] slots = new Object[SLOTS];
    /** Per slot, the hash of the last value seen there but not kept. */
    private final int[] seen = new int[SLOTS];

    /** {@code value} itself, or an equal instance met before. */
    @SuppressWarnings("unchecked")
    T share(T value) {
        int h = value.hashCode();
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        Object kept = slots[slot];
        if (kept == value) {
            return value;
        }
        if (kept != null && kept.hashCode() == h && kept.equals(value)) {
            return (T) kept;
        }
        if (seen[slot] != h) {
            seen[slot] = h;
            return value;
        }
        slots[slot] = value;
        return value;
    }
}
