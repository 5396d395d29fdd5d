package io.kardia.store;

/**
 * The versions of one key, newest first, as a linked chain (etcd's per-key revision list).
 * Mutated only under the store's write lock; read lock-free.
 */
final class KeyHistory {
    /** One version; {@code value == null} is a tombstone (the key was deleted at {@code revision}). */
    static final class Version {
        final long revision;
        final StoredObject value;
        volatile Version older;

        Version(long revision, StoredObject value, Version older) {
            this.revision = revision;
            this.value = value;
            this.older = older;
        }
    }

    private volatile Version newest;

    /** The newest version's value, including writes not yet visible; null if none or deleted. */
    StoredObject latest() {
        Version v = newest;
        return v == null ? null : v.value;
    }

    Version newestVersion() {
        return newest;
    }

    /** The value as of {@code revision}: the newest version at or before it. */
    StoredObject at(long revision) {
        for (Version v = newest; v != null; v = v.older) {
            if (v.revision <= revision) {
                return v.value;
            }
        }
        return null;
    }

    void add(long revision, StoredObject value) {
        Version before = newest;
        newest = new Version(revision, value, before);
        if (before != null && before.value != null) {
            before.value.retire();
        }
    }

    /**
     * Drops versions no read at or after {@code compactRevision} can need.
     *
     * @return true if nothing is left (the key can be removed)
     */
    boolean compact(long compactRevision) {
        for (Version v = newest; v != null; v = v.older) {
            if (v.revision <= compactRevision) {
                v.older = null;
                if (v == newest && v.value == null) {
                    return true;
                }
                return false;
            }
        }
        return false;
    }
}
