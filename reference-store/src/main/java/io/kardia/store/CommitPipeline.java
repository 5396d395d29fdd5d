package io.kardia.store;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;
import io.kardia.store.journal.Journal;
import io.kardia.store.journal.JournalRecord;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path. One short critical section per write (check the base version, assign the next
 * revision, add it to the MVCC index, hand the record to the journal); then, once the journal says
 * the record is durable, changes become visible to readers and watchers strictly in revision
 * order, and only then is the writer acknowledged.
 *
 * <p>A journal failure stops the store (fail-stop): nothing after it can be acknowledged safely.
 */
final class CommitPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(CommitPipeline.class);

    private static final class Pending {
        final ChangeEvent event;
        final CompletableFuture<ChangeEvent> done = new CompletableFuture<>();
        volatile boolean durable;

        Pending(ChangeEvent event) {
            this.event = event;
        }
    }

    private final ReentrantLock writeLock = new ReentrantLock();
    /** Held while changes become visible (in order) and while watchers register at a revision. */
    private final ReentrantLock visibilityLock = new ReentrantLock();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final MvccIndex index;
    private final ChangeLog log;
    private final WatchHub hub;
    private final Journal journal;
    private final Consumer<ChangeEvent> onVisible;
    private long revision;
    private volatile long committed;
    /** Readers waiting for a revision not yet visible park here; publishers wake them only when some wait. */
    private final Object commitSignal = new Object();
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Throwable failure;

    CommitPipeline(MvccIndex index, ChangeLog log, WatchHub hub, Journal journal, Consumer<ChangeEvent> onVisible) {
        this.index = index;
        this.log = log;
        this.hub = hub;
        this.journal = journal;
        this.onVisible = onVisible;
    }

    /** After recovery, before any write. */
    void restore(long recovered) {
        revision = recovered;
        committed = recovered;
    }

    long committedRevision() {
        return committed;
    }

    /**
     * Waits until {@code target} is visible, at most {@code timeoutNanos}.
     *
     * @return whether it became visible in time
     */
    boolean awaitCommitted(long target, long timeoutNanos) throws InterruptedException {
        if (committed >= target) {
            return true;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        waiting.incrementAndGet();
        try {
            synchronized (commitSignal) {
                while (committed < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(commitSignal, left);
                }
                return true;
            }
        } finally {
            waiting.decrementAndGet();
        }
    }

    /** Why the store stopped accepting writes (a journal failure), or null while it accepts them. */
    Throwable failure() {
        return failure;
    }

    void checkHealthy() {
        Throwable f = failure;
        if (f != null) {
            throw KubeApiException.of(Status.serviceUnavailable("the store stopped after a journal failure: " + JournalFailures.describe(f)));
        }
    }

    /**
     * Commits a change of {@code key} if its newest version is still {@code expectedBase}.
     *
     * @param next        the new state, null for a deletion
     * @param deletedView for a deletion, the last state to show watchers (sealed with the deletion's revision)
     * @return the future of the visible change, or null if the key changed meanwhile (retry)
     */
    CompletableFuture<ChangeEvent> commit(String resource, String key, StoredObject expectedBase, Draft next,
                                          Draft deletedView, StoreEvent.Type type) {
        Pending p;
        CompletableFuture<Void> durable;
        writeLock.lock();
        try {
            checkHealthy();
            KeyHistory history = index.history(resource, key);
            if ((history == null ? null : history.latest()) != expectedBase) {
                return null;
            }
            long rev = ++revision;
            StoredObject stored = next == null ? null : next.seal(rev);
            StoredObject shown = next == null ? deletedView.seal(rev) : stored;
            if (next == null) {
                shown.retire(); // never a current version: history only
            }
            if (history != null) {
                history.add(rev, stored);
            } else {
                index.put(resource, key, rev, stored);
            }
            p = new Pending(new ChangeEvent(rev, resource, key, type, shown, expectedBase, System.currentTimeMillis()));
            synchronized (pending) {
                pending.add(p);
            }
            JournalRecord record = new JournalRecord(rev, stored == null ? JournalRecord.Op.DELETE : JournalRecord.Op.PUT,
                    resource, key, stored == null ? null : stored.rawBytes());
            try {
                durable = journal.append(record);
            } catch (RuntimeException e) {
                durable = CompletableFuture.failedFuture(e);
            }
        } finally {
            writeLock.unlock();
        }
        durable.whenComplete((v, ex) -> {
            if (ex != null) {
                fail(ex);
            } else {
                p.durable = true;
                drain();
            }
        });
        return p.done;
    }

    /** Runs {@code action} under the write lock (compaction of one batch of keys). */
    void underWriteLock(Runnable action) {
        writeLock.lock();
        try {
            action.run();
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code action} with the committed revision while no change becomes visible (watch registration). */
    <T> T atVisibleRevision(LongFunction<T> action) {
        visibilityLock.lock();
        try {
            return action.apply(committed);
        } finally {
            visibilityLock.unlock();
            // Writes that became durable meanwhile found the lock taken and left their publishing
            // to its holder: publish them now, or their writers would wait forever.
            drain();
        }
    }

    /**
     * Publishes the durable prefix of pending writes. One thread drains at a time; the others leave
     * at once (their writes are published by the drainer), so completions never queue on the lock.
     */
    private void drain() {
        while (visibilityLock.tryLock()) {
            try {
                publishDurablePrefix();
            } finally {
                visibilityLock.unlock();
            }
            // A write may have become durable after our last look but before the unlock, while its
            // thread found the lock taken: look again so it is not left behind.
            synchronized (pending) {
                Pending head = pending.peek();
                if (head == null || !head.durable) {
                    return;
                }
            }
        }
    }

    private void publishDurablePrefix() {
        while (true) {
            Pending p;
            synchronized (pending) {
                p = pending.peek();
                if (p == null || !p.durable) {
                    break;
                }
                pending.poll();
            }
            ChangeEvent e = p.event;
            committed = e.revision();
            log.add(e);
            try {
                onVisible.accept(e);
                hub.publish(e);
            } catch (RuntimeException ex) {
                LOG.error("publishing revision {} failed", e.revision(), ex);
            }
            p.done.complete(e);
        }
        if (waiting.get() > 0) {
            synchronized (commitSignal) {
                commitSignal.notifyAll();
            }
        }
    }

    private void fail(Throwable ex) {
        LOG.error("journal append failed; the store stops accepting writes", ex);
        failure = ex;
        KubeApiException err = KubeApiException.of(Status.internalError("the write could not be made durable: " + JournalFailures.describe(ex)));
        synchronized (pending) {
            for (Pending p : pending) {
                p.done.completeExceptionally(err);
            }
            pending.clear();
        }
    }

    /**
     * Waits (at most {@code timeoutNanos}) for {@code revision} to become visible; a revision that
     * does not is answered as kube-apiserver does: 504 "Too large resource version".
     */
    void awaitCommittedOrTimeout(long revision, long timeoutNanos) {
        boolean reached;
        try {
            reached = awaitCommitted(revision, timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reached = false;
        }
        if (!reached) {
            Status.Details d = new Status.Details(null, null, null, null,
                    List.of(new Status.Cause("ResourceVersionTooLarge", "Too large resource version", null)), 1, null);
            throw KubeApiException.of(Status.failure(504, "Timeout", "Too large resource version: " + revision
                    + ", current: " + committedRevision(), d));
        }
    }
}
