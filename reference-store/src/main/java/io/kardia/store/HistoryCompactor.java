package io.kardia.store;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the history window: moves the compaction revision forward (never past a pinned read),
 * trims the change log and drops the key versions nobody can read any more.
 */
final class HistoryCompactor {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryCompactor.class);
    private static final int KEYS_PER_LOCK = 1024;

    private final MvccIndex index;
    private final ChangeLog log;
    private final CommitPipeline pipeline;
    private final StoreOptions options;

    HistoryCompactor(MvccIndex index, ChangeLog log, CommitPipeline pipeline, StoreOptions options) {
        this.index = index;
        this.log = log;
        this.pipeline = pipeline;
        this.options = options;
    }

    /** Compacts up to {@code revision} (at most the visible one); returns the new compacted revision. */
    synchronized long compact(long revision) {
        long target = index.advanceCompactRevision(Math.min(revision, pipeline.committedRevision()));
        Set<String> touched = new LinkedHashSet<>();
        log.trim(target, e -> touched.add(e.resource() + "\n" + e.key()));
        Iterator<String> it = touched.iterator();
        while (it.hasNext()) {
            // Short write-lock holds, so writers are never stopped for a whole compaction.
            pipeline.underWriteLock(() -> {
                for (int i = 0; i < KEYS_PER_LOCK && it.hasNext(); i++) {
                    String[] rk = it.next().split("\n", 2);
                    index.compactKey(rk[0], rk[1], target);
                }
            });
        }
        return target;
    }

    /** The automatic policy: keep {@code historyRevisions} revisions and/or {@code historyAge} of history. */
    void compactByPolicy() {
        try {
            long committed = pipeline.committedRevision();
            long target = options.historyRevisions() > 0 ? committed - options.historyRevisions() : 0;
            Duration age = options.historyAge();
            if (age != null && !age.isZero() && !age.isNegative()) {
                target = Math.max(target, log.lastRevisionBefore(options.clock().millis() - age.toMillis()));
            }
            if (target > index.compactRevision()) {
                compact(target);
            }
        } catch (RuntimeException e) {
            LOG.warn("history compaction failed", e);
        }
    }
}
