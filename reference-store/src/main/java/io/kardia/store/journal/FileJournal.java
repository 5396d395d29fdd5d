package io.kardia.store.journal;

import io.kardia.store.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable {@link Journal} in a data directory: a write-ahead log of checksummed records in
 * segment files ({@code wal-<first revision>.log}), written with group commit, plus snapshots
 * ({@code snapshot-<revision>.snap}) that let the log before them be deleted so restarts stay
 * fast. A {@code LOCK} file keeps a second process out.
 */
public final class FileJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(FileJournal.class);

    /**
     * Tuning knobs.
     *
     * @param segmentBytes           a log segment is closed and a new one started once it reaches
     *                               this size (default 64 MiB); only whole segments are deleted
     * @param snapshotThresholdBytes {@link #snapshotDue()} turns true once this much log was
     *                               written since the last snapshot (default 64 MiB), which
     *                               bounds what a restart must replay
     * @param dropDamagedLastRecord  recovery normally refuses to start when the log's last record
     *                               is complete but fails its checksum (that is damage to a write
     *                               that may have been acknowledged, not a torn write); set, it
     *                               drops that record instead, with a WARN. The operator's
     *                               explicit choice (`--drop-damaged-journal-tail`), never a default
     */
    public record Options(long segmentBytes, long snapshotThresholdBytes, boolean dropDamagedLastRecord) {
        public Options {
            if (segmentBytes < 4096) {
                throw new IllegalArgumentException("segmentBytes must be at least 4096, got " + segmentBytes);
            }
            if (snapshotThresholdBytes < 1) {
                throw new IllegalArgumentException("snapshotThresholdBytes must be positive, got " + snapshotThresholdBytes);
            }
        }

        public Options(long segmentBytes, long snapshotThresholdBytes) {
            this(segmentBytes, snapshotThresholdBytes, false);
        }

        public static Options defaults() {
            return new Options(64L << 20, 64L << 20, false);
        }

        public Options withSegmentBytes(long bytes) {
            return new Options(bytes, snapshotThresholdBytes, dropDamagedLastRecord);
        }

        public Options withSnapshotThresholdBytes(long bytes) {
            return new Options(segmentBytes, bytes, dropDamagedLastRecord);
        }

        public Options withDropDamagedLastRecord(boolean drop) {
            return new Options(segmentBytes, snapshotThresholdBytes, drop);
        }
    }

    private enum State { OPEN, RECOVERED, CLOSED }

    private final Path dir;
    private final Options options;
    private final DataDirectoryLock lock;
    private final NavigableMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final NavigableMap<Long, Path> snapshots = new ConcurrentSkipListMap<>();
    private final AtomicLong bytesSinceSnapshot = new AtomicLong();
    private final Object snapshotLock = new Object();
    private volatile State state = State.OPEN;
    private volatile GroupCommitWriter writer;
    private long lastSnapshotRevision;

    private FileJournal(Path dir, Options options, DataDirectoryLock lock) {
        this.dir = dir;
        this.options = options;
        this.lock = lock;
    }

    /**
     * Opens {@code dataDir}, creating it if needed, and locks it. Call {@link #recover} next.
     *
     * @throws JournalLockedException if another journal (in any process) has it open
     * @throws UncheckedIOException   if the directory cannot be created or locked
     */
    public static FileJournal open(Path dataDir, Options options) {
        try {
            PrivateFiles.directory(dataDir);
            // Logs and snapshots written by older versions were world-readable; they hold Secrets.
            try (var files = Files.list(dataDir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(f)) {
                        PrivateFiles.restrict(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        return new FileJournal(dataDir, options, DataDirectoryLock.acquire(dataDir));
    }

    public static FileJournal open(Path dataDir) {
        return open(dataDir, Options.defaults());
    }

    public Path directory() {
        return dir;
    }

    @Override
    public synchronized long recover(RecoveryVisitor visitor) {
        if (state != State.OPEN) {
            throw new IllegalStateException(state == State.CLOSED ? "journal in " + dir + " is closed"
                    : "journal in " + dir + " was already recovered");
        }
        long started = System.nanoTime();
        Recovery.Result result;
        try {
            result = Recovery.run(dir, visitor, options.dropDamagedLastRecord());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal in " + dir, e);
        }
        segments.putAll(result.segments());
        snapshots.putAll(result.snapshots());
        lastSnapshotRevision = result.snapshotRevision();
        bytesSinceSnapshot.set(result.logBytesAfterSnapshot());
        writer = new GroupCommitWriter(dir, options.segmentBytes(), segments, result.highestRevision(), bytesSinceSnapshot);
        state = State.RECOVERED;
        LOG.info("Recovered journal {} up to revision {} (snapshot at {}, {} log bytes replayed) in {} ms", dir,
                result.highestRevision(), result.snapshotRevision(), result.logBytesAfterSnapshot(),
                (System.nanoTime() - started) / 1_000_000);
        return result.highestRevision();
    }

    @Override
    public CompletableFuture<Void> append(JournalRecord record) {
        GroupCommitWriter current = writer;
        if (current == null) {
            throw new IllegalStateException(state == State.CLOSED ? "journal in " + dir + " is closed"
                    : "call recover() before append() on the journal in " + dir);
        }
        return current.append(record);
    }

    @Override
    public void snapshot(long revision, Iterable<JournalRecord> liveObjects) {
        GroupCommitWriter current = writer;
        if (current == null || state != State.RECOVERED) {
            throw new IllegalStateException("journal in " + dir + " is " + (state == State.OPEN ? "not recovered yet" : "closed"));
        }
        synchronized (snapshotLock) {
            if (revision <= lastSnapshotRevision) {
                LOG.debug("Skipping snapshot at revision {}: one at {} exists", revision, lastSnapshotRevision);
                return;
            }
            long lastAppended = current.lastQueuedRevision();
            if (revision > lastAppended) {
                throw new IllegalArgumentException("snapshot at revision " + revision
                        + " is ahead of the last appended revision " + lastAppended);
            }
            long started = System.nanoTime();
            long logBytes = bytesSinceSnapshot.get();
            Path file;
            try {
                file = SnapshotFile.write(dir, revision, liveObjects);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a snapshot at revision " + revision + " in " + dir, e);
            }
            snapshots.put(revision, file);
            lastSnapshotRevision = revision;
            bytesSinceSnapshot.addAndGet(-logBytes);
            deleteCoveredFiles(revision);
            LOG.info("Wrote snapshot {} in {} ms", file, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Deletes log segments whose every record is at or below {@code revision}, and older snapshots. */
    private void deleteCoveredFiles(long revision) {
        List<Path> covered = new ArrayList<>();
        for (Map.Entry<Long, Path> segment : segments.entrySet()) {
            Long next = segments.higherKey(segment.getKey());
            if (next == null || next > revision + 1) {
                break;
            }
            covered.add(segment.getValue());
            segments.remove(segment.getKey());
        }
        NavigableMap<Long, Path> olderSnapshots = snapshots.headMap(revision, false);
        covered.addAll(olderSnapshots.values());
        olderSnapshots.clear();
        try {
            for (Path file : covered) {
                Files.deleteIfExists(file);
            }
            if (!covered.isEmpty()) {
                JournalFiles.syncDirectory(dir);
            }
        } catch (IOException e) {
            // Harmless: recovery skips what a newer snapshot covers; the next snapshot retries.
            LOG.warn("Could not delete files covered by the snapshot at revision {} in {}", revision, dir, e);
        }
    }

    /** For tests and diagnostics: how many group commits (write + fsync) ran since recovery. */
    long batchesWritten() {
        GroupCommitWriter current = writer;
        return current == null ? 0 : current.batchesWritten();
    }

    @Override
    public boolean snapshotDue() {
        return bytesSinceSnapshot.get() >= options.snapshotThresholdBytes();
    }

    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        synchronized (snapshotLock) { // let a snapshot in progress finish while the directory is still ours
            GroupCommitWriter current = writer;
            writer = null;
            if (current != null) {
                current.close();
            }
            lock.close();
        }
    }

    @Override
    public String toString() {
        return "FileJournal[" + dir + "]";
    }
}
