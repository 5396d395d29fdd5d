package io.kardia.store.journal;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * Where the store makes its writes durable. The store assigns revisions and appends every change
 * in revision order; a change is acknowledged to the client only when its future completes, i.e.
 * when it is on disk. On start the store rebuilds its state from {@link #recover}.
 *
 * <p>Lifecycle: open ({@link #open}/{@link #inMemory}), {@link #recover} exactly once, then
 * {@link #append}/{@link #snapshot} from any threads, then {@link #close}.
 */
public interface Journal extends AutoCloseable {

    /** A journal that keeps nothing: every append completes at once (tests, in-memory mode). */
    static Journal inMemory() {
        return new InMemoryJournal();
    }

    /**
     * Opens (creating if needed) a durable journal in {@code dataDir} with default
     * {@link FileJournal.Options}; see {@link FileJournal#open(Path, FileJournal.Options)}.
     *
     * @throws JournalLockedException if another journal has the directory open
     */
    static Journal open(Path dataDir) {
        return FileJournal.open(dataDir, FileJournal.Options.defaults());
    }

    /**
     * Replays what is on disk: first every object of the newest valid snapshot, exactly as it was
     * given to {@link #snapshot} (PUT records; each revision as given, at most the snapshot's
     * revision), then each logged record after the snapshot's revision, in revision order.
     * A torn final write is dropped (logged at WARN). Must be called once, before any append.
     *
     * @return the highest revision recovered (the snapshot's revision if the log holds nothing
     *         newer; 0 for an empty journal). The next append must have a higher revision.
     * @throws JournalCorruptedException if the data cannot be trusted (a damaged record that is
     *         not the torn tail of the log, a damaged snapshot, a revision going backwards, a
     *         missing piece of log); the message names the file and offset
     */
    long recover(RecoveryVisitor visitor);

    /**
     * Appends a record; the future completes once it is durable (fsync, group-committed), or
     * completes exceptionally if the write failed (the journal then refuses further appends).
     * The future is completed on the journal's writer thread: chain heavy work with the
     * {@code *Async} methods.
     *
     * @throws IllegalStateException if the journal was not recovered, is closed, or the revision
     *         is not higher than the previous append's (revisions must strictly increase)
     */
    CompletableFuture<Void> append(JournalRecord record);

    /**
     * Writes a snapshot holding {@code liveObjects}, the whole state at {@code revision}, after
     * which the log up to that revision may be discarded. May run while appends continue; the
     * iterable must be a stable view of the state at {@code revision}. Returns once the snapshot
     * is durable. A revision not above the last snapshot's is ignored.
     *
     * @throws IllegalArgumentException if a record is not a PUT or has a revision above
     *         {@code revision}, or {@code revision} is above the last appended revision
     * @throws java.io.UncheckedIOException if the snapshot could not be written (the previous
     *         snapshot and the log stay valid)
     */
    void snapshot(long revision, Iterable<JournalRecord> liveObjects);

    /**
     * Whether enough log has accumulated since the last snapshot that the store should take one
     * (see {@link FileJournal.Options#snapshotThresholdBytes}); keeps restart time bounded.
     */
    default boolean snapshotDue() {
        return false;
    }

    /** Waits for queued appends to be written, then releases the files and the directory lock. */
    @Override
    void close();

    /** Receives recovered records. */
    interface RecoveryVisitor {
        void accept(JournalRecord record);
    }
}
