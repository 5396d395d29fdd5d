package io.kardia.store;

import io.kardia.store.journal.Journal;
import io.kardia.store.journal.JournalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A journal for tests: keeps every appended record and snapshot, replays them on recover, and can
 * hold appends pending until the test completes them.
 */
final class ControllableJournal implements Journal {
    record Snapshot(long revision, List<JournalRecord> records) { }

    final List<JournalRecord> records = new ArrayList<>();
    final List<CompletableFuture<Void>> pending = new ArrayList<>();
    final List<Snapshot> snapshots = new ArrayList<>();
    volatile boolean holdAppends;
    volatile RuntimeException failAppends;

    ControllableJournal() {
    }

    /** A journal holding what another one recorded (a restart). */
    ControllableJournal(ControllableJournal before) {
        synchronized (before) {
            records.addAll(before.records);
        }
    }

    @Override
    public synchronized long recover(RecoveryVisitor visitor) {
        long max = 0;
        for (JournalRecord r : records) {
            visitor.accept(r);
            max = Math.max(max, r.revision());
        }
        return max;
    }

    @Override
    public synchronized CompletableFuture<Void> append(JournalRecord record) {
        if (!records.isEmpty() && records.get(records.size() - 1).revision() >= record.revision()) {
            throw new IllegalStateException("revisions must increase: " + record.revision());
        }
        records.add(record);
        if (failAppends != null) {
            return CompletableFuture.failedFuture(failAppends);
        }
        if (holdAppends) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            notifyAll();
            return f;
        }
        return CompletableFuture.completedFuture(null);
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    synchronized CompletableFuture<Void> pending(int i) {
        return pending.get(i);
    }

    @Override
    public void snapshot(long revision, Iterable<JournalRecord> liveObjects) {
        List<JournalRecord> copy = new ArrayList<>();
        liveObjects.forEach(copy::add);
        synchronized (this) {
            snapshots.add(new Snapshot(revision, copy));
        }
    }

    synchronized List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    @Override
    public void close() {
    }
}
