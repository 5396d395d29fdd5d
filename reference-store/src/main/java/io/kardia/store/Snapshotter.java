package io.kardia.store;

import io.kardia.store.journal.Journal;
import io.kardia.store.journal.JournalRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the journal a snapshot of all live objects every N writes (or when the journal says one is
 * due), so restart time stays bounded. The snapshot reads the MVCC index at one pinned revision on
 * its own thread while writes go on.
 */
final class Snapshotter {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshotter.class);

    private final MvccIndex index;
    private final Journal journal;
    private final CommitPipeline pipeline;
    private final long everyWrites;
    private final AtomicLong writesSinceSnapshot = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();

    Snapshotter(MvccIndex index, Journal journal, CommitPipeline pipeline, long everyWrites) {
        this.index = index;
        this.journal = journal;
        this.pipeline = pipeline;
        this.everyWrites = everyWrites;
    }

    /** Called once per visible write. */
    void afterWrite() {
        long writes = writesSinceSnapshot.incrementAndGet();
        boolean due = (everyWrites > 0 && writes >= everyWrites) || ((writes & 1023) == 0 && journal.snapshotDue());
        if (due && running.compareAndSet(false, true)) {
            writesSinceSnapshot.set(0);
            Thread.ofVirtual().name("kardia-store-snapshot").start(this::snapshot);
        }
    }

    private void snapshot() {
        try {
            long rev = pipeline.committedRevision();
            if (!index.pin(rev)) {
                return;
            }
            try {
                journal.snapshot(rev, () -> liveRecords(rev));
            } finally {
                index.unpin(rev);
            }
        } catch (RuntimeException e) {
            LOG.warn("snapshot failed; the journal keeps its log", e);
        } finally {
            running.set(false);
        }
    }

    /** Every object alive at {@code rev}, each with its own revision. */
    private Iterator<JournalRecord> liveRecords(long rev) {
        List<String> resources = new ArrayList<>();
        index.resourceNames().forEach(resources::add);
        return new Iterator<>() {
            private final Iterator<String> res = resources.iterator();
            private String resource;
            private Iterator<Map.Entry<String, KeyHistory>> keys = Collections.emptyIterator();
            private JournalRecord next;

            @Override
            public boolean hasNext() {
                while (next == null) {
                    if (keys.hasNext()) {
                        var e = keys.next();
                        StoredObject o = e.getValue().at(rev);
                        if (o != null) {
                            next = JournalRecord.put(o.revision(), resource, e.getKey(), o.rawBytes());
                        }
                    } else if (res.hasNext()) {
                        resource = res.next();
                        keys = index.range(resource, null).entrySet().iterator();
                    } else {
                        return false;
                    }
                }
                return true;
            }

            @Override
            public JournalRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                JournalRecord r = next;
                next = null;
                return r;
            }
        };
    }
}
