package io.kardia.store.journal;

/**
 * One change: at {@code revision}, {@code key} of {@code resource} (a group-resource such as
 * {@code deployments.apps}) became {@code value} (serialized JSON), or was deleted.
 */
public record JournalRecord(long revision, Op op, String resource, String key, byte[] value) {
    public enum Op { PUT, DELETE }
}
