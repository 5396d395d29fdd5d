package io.kardia.store.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A journal kept in memory that outlives the store writing to it: a store closed (or crashed) and
 * opened again on it recovers every record it acknowledged, as a store over a data directory
 * does, without disk or a writer thread. It is how a deterministic simulation restarts its store:
 * everything stays on the simulation's threads and in its memory.
 *
 * <p>Each {@link #open()} is one store's session; only one may be open at a time (as the data
 * directory's lock allows one process). An append is durable once it returns.
 *
 * <pre>{@code
 * RetainedJournal kept = RetainedJournal.create();
 * ReferenceStore first = ReferenceStore.open(options, kept.open());
 * // ... writes ...
 * first.close();
 * ReferenceStore second = ReferenceStore.open(options, kept.open()); // holds every acknowledged write
 * }</pre>
 */
public final class RetainedJournal {
    /** The last snapshot's objects (PUT records at or below {@link #snapshotRevision}). */
    private List<JournalRecord> snapshot = List.of();
    private long snapshotRevision;
    /** Records appended after the snapshot, in revision order. */
    private final List<JournalRecord> log = new ArrayList<>();
    private long lastRevision;
    private Session open;

    private RetainedJournal() {
    }

    public static RetainedJournal create() {
        return new RetainedJournal();
    }

    /**
     * A journal for one store over what this one holds: {@link Journal#recover} replays it.
     *
     * @throws JournalLockedException if a store still has the previous session open (close it first)
     */
    public synchronized Journal open() {
        if (open != null) {
            throw new JournalLockedException("the retained journal is still open by another store; close that store first");
        }
        open = new Session();
        return open;
    }

    /** Records kept in the log since the last snapshot. */
    public synchronized int logRecords() {
        return log.size();
    }

    /** The revision of the last record appended (0 for an empty journal). */
    public synchronized long lastRevision() {
        return lastRevision;
    }

    private synchronized long recover(Session s, Journal.RecoveryVisitor visitor) {
        check(s);
        if (s.recovered) {
            throw new IllegalStateException("journal already recovered");
        }
        s.recovered = true;
        for (JournalRecord r : snapshot) {
            visitor.accept(r);
        }
        for (JournalRecord r : log) {
            visitor.accept(r);
        }
        return lastRevision;
    }

    private synchronized CompletableFuture<Void> append(Session s, JournalRecord record) {
        check(s);
        if (!s.recovered) {
            throw new IllegalStateException("recover the journal before appending to it");
        }
        if (record.revision() <= lastRevision) {
            throw new IllegalStateException("journal appends must have strictly increasing revisions: got "
                    + record.revision() + " after " + lastRevision);
        }
        log.add(record);
        lastRevision = record.revision();
        return CompletableFuture.completedFuture(null);
    }

    private synchronized void snapshot(Session s, long revision, Iterable<JournalRecord> liveObjects) {
        check(s);
        if (revision > lastRevision) {
            throw new IllegalArgumentException("snapshot revision " + revision + " is above the last appended revision "
                    + lastRevision);
        }
        if (revision <= snapshotRevision) {
            return;
        }
        List<JournalRecord> objects = new ArrayList<>();
        for (JournalRecord r : liveObjects) {
            if (r.op() != JournalRecord.Op.PUT || r.revision() > revision) {
                throw new IllegalArgumentException("a snapshot at revision " + revision + " holds only PUT records at or "
                        + "below it, got " + r);
            }
            objects.add(r);
        }
        snapshot = List.copyOf(objects);
        snapshotRevision = revision;
        log.removeIf(r -> r.revision() <= revision);
    }

    private synchronized void close(Session s) {
        if (open == s) {
            open = null;
        }
        s.closed = true;
    }

    private void check(Session s) {
        if (s.closed) {
            throw new IllegalStateException("journal is closed");
        }
    }

    /** One store's view: the journal's records, appended to until the store closes it. */
    private final class Session implements Journal {
        private boolean recovered;
        private boolean closed;

        @Override
        public long recover(RecoveryVisitor visitor) {
            return RetainedJournal.this.recover(this, visitor);
        }

        @Override
        public CompletableFuture<Void> append(JournalRecord record) {
            return RetainedJournal.this.append(this, record);
        }

        @Override
        public void snapshot(long revision, Iterable<JournalRecord> liveObjects) {
            RetainedJournal.this.snapshot(this, revision, liveObjects);
        }

        @Override
        public void close() {
            RetainedJournal.this.close(this);
        }
    }
}
