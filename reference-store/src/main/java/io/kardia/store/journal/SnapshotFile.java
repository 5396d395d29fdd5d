package io.kardia.store.journal;

import io.kardia.store.PrivateFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A snapshot file: header (revision), the live objects as frames, footer (record count,
 * revision, checksum). Written to a temporary file, synced and renamed, so a snapshot file under
 * its final name is always complete; any damage to one is real damage.
 */
final class SnapshotFile {
    private static final int WRITE_BUFFER = 1 << 20;

    private SnapshotFile() {
    }

    /** Writes and durably publishes the snapshot of {@code revision}; returns its path. */
    static Path write(Path dir, long revision, Iterable<JournalRecord> liveObjects) throws IOException {
        Path file = JournalFiles.snapshot(dir, revision);
        Path temporary = JournalFiles.temporary(file);
        boolean published = false;
        try {
            try (FileChannel channel = PrivateFiles.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                writeFully(channel, FileFormat.header(FileFormat.Kind.SNAPSHOT, revision, 0));
                ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER);
                long count = 0;
                for (JournalRecord record : liveObjects) {
                    if (record.op() != JournalRecord.Op.PUT || record.revision() > revision) {
                        throw new IllegalArgumentException("a snapshot at revision " + revision
                                + " holds only PUT records of revision at most " + revision + ", got " + record);
                    }
                    byte[] frame = Frames.encode(record);
                    if (frame.length > out.remaining()) {
                        writeFully(channel, out.flip());
                        out.clear();
                    }
                    if (frame.length > out.capacity()) {
                        writeFully(channel, ByteBuffer.wrap(frame));
                    } else {
                        out.put(frame);
                    }
                    count++;
                }
                writeFully(channel, out.flip());
                writeFully(channel, FileFormat.footer(count, revision));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            published = true;
            JournalFiles.syncDirectory(dir);
            return file;
        } finally {
            if (!published) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /**
     * Reads the snapshot, checking every frame, the footer and the revisions; hands each record
     * to {@code visitor} when one is given (none: only verify).
     *
     * @return the number of records
     * @throws JournalCorruptedException naming the file and offset of any damage
     */
    static long read(Path file, long revision, Journal.RecoveryVisitor visitor) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            FileFormat.Header header = FileFormat.readHeader(channel, file, FileFormat.Kind.SNAPSHOT);
            if (header.revision() != revision) {
                throw JournalCorruptedException.at(file, 8, "snapshot header says revision " + header.revision()
                        + " but the file name says " + revision);
            }
            FrameReader reader = new FrameReader(channel, FileFormat.HEADER_SIZE, size);
            long count = 0;
            while (true) {
                long offset = reader.offset();
                int available = reader.fill(FileFormat.FOOTER_SIZE);
                byte[] buf = reader.buffer();
                int pos = reader.position();
                if (available >= 4 && Frames.readInt(buf, pos) == FileFormat.FOOTER_MAGIC) {
                    checkFooter(file, offset, buf, pos, available, count, revision);
                    reader.skip(FileFormat.FOOTER_SIZE);
                    if (reader.offset() != size) {
                        throw JournalCorruptedException.at(file, reader.offset(), "unexpected bytes after the snapshot footer");
                    }
                    return count;
                }
                int outcome = reader.checkFrame();
                if (outcome == 0) {
                    throw JournalCorruptedException.at(file, offset, "snapshot ends without its footer (truncated)");
                }
                if (outcome < 0) {
                    throw JournalCorruptedException.at(file, offset, "snapshot " + Frames.describe(outcome));
                }
                buf = reader.buffer();
                pos = reader.position();
                long recordRevision = Frames.revision(buf, pos);
                if (recordRevision > revision || buf[pos + Frames.PREFIX + 8] != 0) {
                    throw JournalCorruptedException.at(file, offset, "snapshot record that is not a PUT at revision <= "
                            + revision + " (revision " + recordRevision + ")");
                }
                if (visitor != null) {
                    visitor.accept(Frames.decode(buf, pos));
                }
                reader.skip(outcome);
                count++;
            }
        }
    }

    private static void checkFooter(Path file, long offset, byte[] buf, int pos, int available, long count, long revision) {
        if (available < FileFormat.FOOTER_SIZE || !FileFormat.footerIntact(buf, pos)) {
            throw JournalCorruptedException.at(file, offset, "damaged snapshot footer");
        }
        if (FileFormat.footerRecordCount(buf, pos) != count) {
            throw JournalCorruptedException.at(file, offset, "snapshot footer counts "
                    + FileFormat.footerRecordCount(buf, pos) + " records but the file holds " + count);
        }
        if (FileFormat.footerRevision(buf, pos) != revision) {
            throw JournalCorruptedException.at(file, offset, "snapshot footer says revision "
                    + FileFormat.footerRevision(buf, pos) + " but the header says " + revision);
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}
