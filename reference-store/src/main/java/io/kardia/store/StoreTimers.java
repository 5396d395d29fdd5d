package io.kardia.store;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The store's one background thread and what runs on it by the clock: watch bookmarks and
 * history compaction (watch timeouts and the in-store lifecycle use the same thread).
 */
final class StoreTimers {
    private final ScheduledExecutorService executor;

    StoreTimers() {
        ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "kardia-store-background");
            t.setDaemon(true);
            return t;
        });
        // Watch timeouts are cancelled when their watch ends early: drop them then, not at their deadline.
        stpe.setRemoveOnCancelPolicy(true);
        executor = stpe;
    }

    /** On a given executor (a simulation's, whose time is virtual). */
    StoreTimers(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    /** Starts bookmarks every {@code bookmarkInterval} and compaction every {@code compactionInterval} (zero: never). */
    void start(StoreOptions options, CommitPipeline pipeline, WatchHub hub, HistoryCompactor compactor) {
        Duration bookmark = options.bookmarkInterval();
        if (positive(bookmark)) {
            executor.scheduleAtFixedRate(() -> pipeline.atVisibleRevision(rev -> {
                hub.bookmark(rev);
                return null;
            }), bookmark.toMillis(), bookmark.toMillis(), TimeUnit.MILLISECONDS);
        }
        Duration every = options.compactionInterval();
        if (positive(every)) {
            executor.scheduleWithFixedDelay(compactor::compactByPolicy, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        executor.shutdownNow();
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }
}
