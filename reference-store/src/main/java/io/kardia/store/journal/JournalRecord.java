package io.kardia.store.journal;

import java.util.Arrays;
import java.util.Objects;

/**
 * One change: at {@code revision}, {@code key} of {@code resource} (a group-resource such as
 * {@code deployments.apps}) became {@code value} (serialized JSON), or was deleted.
 *
 * <p>{@code value} is required for {@link Op#PUT} and optional (may be null) for
 * {@link Op#DELETE}. The array is not copied: whoever builds a record hands the bytes over and
 * must not change them afterwards. Equality compares the bytes, not the array identity.
 */
public record JournalRecord(long revision, Op op, String resource, String key, byte[] value) {
    public enum Op { PUT, DELETE }

    public JournalRecord {
        if (revision <= 0) {
            throw new IllegalArgumentException("journal record revision must be positive, got " + revision);
        }
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(key, "key");
        if (op == Op.PUT && value == null) {
            throw new IllegalArgumentException("a PUT journal record needs a value (" + resource + " " + key + ")");
        }
    }

    public static JournalRecord put(long revision, String resource, String key, byte[] value) {
        return new JournalRecord(revision, Op.PUT, resource, key, value);
    }

    public static JournalRecord delete(long revision, String resource, String key) {
        return new JournalRecord(revision, Op.DELETE, resource, key, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JournalRecord that
                && revision == that.revision
                && op == that.op
                && resource.equals(that.resource)
                && key.equals(that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(revision, op, resource, key) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "JournalRecord[revision=" + revision + ", op=" + op + ", resource=" + resource + ", key=" + key
                + ", value=" + (value == null ? "null" : value.length + " bytes") + "]";
    }
}
