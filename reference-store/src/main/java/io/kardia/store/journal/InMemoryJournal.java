package io.kardia.store.journal;

import java.util.concurrent.CompletableFuture;

/**
 * Keeps nothing; still enforces revision order so in-memory tests catch what disk would. Unlike the
 * file journal it does not insist on {@link #recover} first: there is nothing to recover.
 */
final class InMemoryJournal implements Journal {
    private long lastRevision;
    private boolean recovered;
    private boolean closed;

    @Override
    public synchronized long recover(RecoveryVisitor visitor) {
        if (recovered) {
            throw new IllegalStateException("journal already recovered");
        }
        recovered = true;
        return 0;
    }

    @Override
    public synchronized CompletableFuture<Void> append(JournalRecord record) {
        if (closed) {
            throw new IllegalStateException("journal is closed");
        }
        if (record.revision() <= lastRevision) {
            throw new IllegalStateException("journal appends must have strictly increasing revisions: got "
                    + record.revision() + " after " + lastRevision);
        }
        lastRevision = record.revision();
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void snapshot(long revision, Iterable<JournalRecord> liveObjects) {
        // Nothing to keep.
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
