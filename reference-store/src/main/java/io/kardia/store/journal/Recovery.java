package io.kardia.store.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds state from a journal directory: the newest valid snapshot, then the log after it.
 * Drops a torn final write (an incomplete last record: the crash came before it was written in
 * full, so it was never acknowledged); anything else that is damaged or missing, including a
 * complete last record that fails its checksum, is a {@link JournalCorruptedException}.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /** What recovery found; {@code segments} and {@code snapshots} are what remains on disk. */
    record Result(long highestRevision, long snapshotRevision, long logBytesAfterSnapshot,
                  NavigableMap<Long, Path> segments, NavigableMap<Long, Path> snapshots) {
    }

    private final Path dir;
    private final Journal.RecoveryVisitor visitor;
    private final boolean dropDamagedLastRecord;
    private long lastLogRevision;
    private long logBytesAfterSnapshot;

    private Recovery(Path dir, Journal.RecoveryVisitor visitor, boolean dropDamagedLastRecord) {
        this.dir = dir;
        this.visitor = visitor;
        this.dropDamagedLastRecord = dropDamagedLastRecord;
    }

    static Result run(Path dir, Journal.RecoveryVisitor visitor) throws IOException {
        return run(dir, visitor, false);
    }

    static Result run(Path dir, Journal.RecoveryVisitor visitor, boolean dropDamagedLastRecord) throws IOException {
        return new Recovery(dir, visitor, dropDamagedLastRecord).run();
    }

    private Result run() throws IOException {
        JournalFiles.Listing listing = JournalFiles.list(dir);
        NavigableMap<Long, Path> snapshots = listing.snapshots();
        NavigableMap<Long, Path> segments = listing.segments();

        List<Path> damagedSnapshots = new ArrayList<>();
        JournalCorruptedException snapshotDamage = null;
        long snapshotRevision = 0;
        for (Map.Entry<Long, Path> snapshot : snapshots.descendingMap().entrySet()) {
            try {
                SnapshotFile.read(snapshot.getValue(), snapshot.getKey(), null);
                snapshotRevision = snapshot.getKey();
                break;
            } catch (JournalFormatException e) {
                throw e;
            } catch (JournalCorruptedException e) {
                LOG.warn("Snapshot {} is damaged, trying an older one: {}", snapshot.getValue(), e.getMessage());
                damagedSnapshots.add(snapshot.getValue());
                if (snapshotDamage == null) {
                    snapshotDamage = e;
                } else {
                    snapshotDamage.addSuppressed(e);
                }
            }
        }
        try {
            if (snapshotRevision > 0) {
                long count = SnapshotFile.read(snapshots.get(snapshotRevision), snapshotRevision, visitor);
                LOG.info("Recovered {} objects from the snapshot at revision {}", count, snapshotRevision);
            } else if (snapshotDamage != null) {
                LOG.warn("No intact snapshot in {}; replaying the whole log", dir);
            }
            replayLog(segments, snapshotRevision);
        } catch (JournalCorruptedException e) {
            if (snapshotDamage == null) {
                throw e;
            }
            // The log cannot stand in for the damaged snapshot: report the snapshot damage.
            snapshotDamage.addSuppressed(e);
            throw snapshotDamage;
        }
        for (Path damaged : damagedSnapshots) {
            Path aside = damaged.resolveSibling(damaged.getFileName() + ".damaged");
            LOG.warn("The log covers everything after an older snapshot; moving damaged snapshot {} aside to {}", damaged, aside);
            Files.move(damaged, aside, StandardCopyOption.ATOMIC_MOVE);
            snapshots.values().remove(damaged);
        }
        if (!damagedSnapshots.isEmpty()) {
            JournalFiles.syncDirectory(dir);
        }
        long highest = Math.max(snapshotRevision, lastLogRevision);
        return new Result(highest, snapshotRevision, logBytesAfterSnapshot, segments, snapshots);
    }

    private void replayLog(NavigableMap<Long, Path> segments, long snapshotRevision) throws IOException {
        List<Map.Entry<Long, Path>> ordered = new ArrayList<>(segments.entrySet());
        for (int i = 0; i < ordered.size(); i++) {
            boolean newest = i == ordered.size() - 1;
            if (!newest && ordered.get(i + 1).getKey() <= snapshotRevision + 1) {
                continue; // every record in it is covered by the snapshot
            }
            long firstRevision = ordered.get(i).getKey();
            Path file = ordered.get(i).getValue();
            boolean empty = replaySegment(file, firstRevision, newest, snapshotRevision);
            if (empty && newest) {
                // Created just before a crash; its name would clash with the next segment's.
                LOG.warn("Deleting log segment {}, which holds no complete record (torn by a crash)", file);
                Files.delete(file);
                segments.remove(firstRevision);
                JournalFiles.syncDirectory(dir);
            }
        }
    }

    /**
     * An incomplete last record (its declared length runs past the end of the file), or a tail of
     * zeros (blocks the file system allocated but the crash kept from being written): what a crash
     * during an unacknowledged append leaves. A complete record with a bad checksum is not.
     */
    private static boolean isTornWrite(int outcome, FileChannel channel, long offset, long size) throws IOException {
        if (outcome == Frames.TRUNCATED) {
            return true;
        }
        long length = size - offset;
        if (length > 1 << 20) {
            return false;
        }
        java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate((int) length);
        while (tail.hasRemaining() && channel.read(tail, offset + tail.position()) > 0) {
            // read the tail
        }
        for (int i = 0; i < tail.position(); i++) {
            if (tail.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Replays one segment; returns whether it held no record. */
    private boolean replaySegment(Path file, long firstRevision, boolean newest, long snapshotRevision) throws IOException {
        StandardOpenOption[] options = newest
                ? new StandardOpenOption[] {StandardOpenOption.READ, StandardOpenOption.WRITE}
                : new StandardOpenOption[] {StandardOpenOption.READ};
        try (FileChannel channel = FileChannel.open(file, options)) {
            long size = channel.size();
            if (newest && size < FileFormat.HEADER_SIZE) {
                return true;
            }
            FileFormat.Header header = FileFormat.readHeader(channel, file, FileFormat.Kind.SEGMENT);
            if (header.revision() != firstRevision) {
                throw JournalCorruptedException.at(file, 8, "log segment header says first revision "
                        + header.revision() + " but its name says " + firstRevision);
            }
            long previous = header.extra();
            long have = Math.max(lastLogRevision, snapshotRevision);
            if (previous > have) {
                throw JournalCorruptedException.at(file, 16, "log is missing revisions " + (have + 1) + " to "
                        + previous + " (a log segment or snapshot was removed)");
            }
            if (previous < lastLogRevision) {
                throw JournalCorruptedException.at(file, 16, "log segment follows revision " + previous
                        + " but the previous segment ended at revision " + lastLogRevision);
            }
            FrameReader reader = new FrameReader(channel, FileFormat.HEADER_SIZE, size);
            boolean empty = true;
            while (true) {
                long offset = reader.offset();
                int outcome = reader.checkFrame();
                if (outcome == 0) {
                    break;
                }
                if (outcome < 0) {
                    if (newest && !FrameReader.validFrameAfter(channel, offset, size, lastLogRevision)) {
                        if (!isTornWrite(outcome, channel, offset, size) && !dropDamagedLastRecord) {
                            throw new JournalCorruptedException("the last record of " + file + " at byte offset " + offset
                                    + " is complete but damaged (" + Frames.describe(outcome) + "): its write may have"
                                    + " been acknowledged, so it is not dropped as a torn write; refusing to start. To start"
                                    + " without it (and lose that one change), restart once with --drop-damaged-journal-tail"
                                    + " (FileJournal.Options.withDropDamagedLastRecord), or restore the data directory from a backup");
                        }
                        LOG.warn("Dropping {} from {}: {} at byte offset {}, {} bytes truncated",
                                isTornWrite(outcome, channel, offset, size) ? "a torn final write" : "a damaged last record, as asked",
                                file, Frames.describe(outcome), offset, size - offset);
                        channel.truncate(offset);
                        channel.force(true);
                        break;
                    }
                    throw JournalCorruptedException.at(file, offset, Frames.describe(outcome)
                            + (newest ? " followed by intact records" : " in a log segment that is not the newest"));
                }
                byte[] buf = reader.buffer();
                int pos = reader.position();
                long revision = Frames.revision(buf, pos);
                if (revision <= lastLogRevision) {
                    throw JournalCorruptedException.at(file, offset, "revision went backwards: " + revision
                            + " after " + lastLogRevision);
                }
                if (empty && revision != firstRevision) {
                    throw JournalCorruptedException.at(file, offset, "first record has revision " + revision
                            + " but the segment's name says " + firstRevision);
                }
                empty = false;
                if (revision > snapshotRevision) {
                    visitor.accept(Frames.decode(buf, pos));
                    logBytesAfterSnapshot += outcome;
                }
                lastLogRevision = revision;
                reader.skip(outcome);
            }
            return empty;
        }
    }
}
