package io.kardia.store.journal;

import java.util.concurrent.CompletableFuture;

/**
 * Where the store makes its writes durable. The store assigns revisions and appends every change
 * in revision order; a change is acknowledged to the client only when its future completes, i.e.
 * when it is on disk. On start the store rebuilds its state from {@link #recover}.
 */
public interface Journal extends AutoCloseable {

    /**
     * Replays what is on disk: first every object of the newest snapshot (as PUT records at the
     * snapshot's revision), then each logged record after it, in revision order.
     *
     * @return the highest revision recovered (0 for an empty journal)
     * @throws JournalCorruptedException if the data cannot be trusted (a damaged record that is
     *         not the torn tail of the log); the message names the file and offset
     */
    long recover(RecoveryVisitor visitor);

    /** Appends a record; the future completes once it is durable (fsync, group-committed). */
    CompletableFuture<Void> append(JournalRecord record);

    /**
     * Writes a snapshot holding {@code liveObjects}, the whole state at {@code revision}, after
     * which the log up to that revision may be discarded. May run while appends continue.
     */
    void snapshot(long revision, Iterable<JournalRecord> liveObjects);

    @Override
    void close();

    /** Receives recovered records. */
    interface RecoveryVisitor {
        void accept(JournalRecord record);
    }
}
