package io.kardia.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The header every journal file starts with, and the snapshot footer. Each carries a magic
 * number naming the file's kind and a format version, so a future format change is detected
 * instead of misread.
 *
 * <pre>
 * header (28 bytes): int magic, int formatVersion, long revision, long extra, int crc32c
 *   segment:  revision = first record's revision, extra = last revision written before it
 *   snapshot: revision = the snapshot's revision,  extra = 0
 * footer (snapshot only, 24 bytes): int magic, long recordCount, long revision, int crc
 * </pre>
 */
final class FileFormat {
    static final int FORMAT_VERSION = 1;
    static final int HEADER_SIZE = 4 + 4 + 8 + 8 + 4;
    static final int FOOTER_SIZE = 4 + 8 + 8 + 4;
    /** Larger than {@link Frames#MAX_BODY}, so never mistaken for a record's length. */
    static final int FOOTER_MAGIC = 0x4B44_5345; // "KDSE"

    enum Kind {
        SEGMENT(0x4B44_4A4C, "journal log segment"), // "KDJL"
        SNAPSHOT(0x4B44_534E, "journal snapshot");    // "KDSN"

        final int magic;
        final String description;

        Kind(int magic, String description) {
            this.magic = magic;
            this.description = description;
        }
    }

    /** A decoded header. */
    record Header(Kind kind, long revision, long extra) {
    }

    private FileFormat() {
    }

    static ByteBuffer header(Kind kind, long revision, long extra) {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE);
        buf.putInt(kind.magic).putInt(FORMAT_VERSION).putLong(revision).putLong(extra);
        buf.putInt(crc(buf.array(), HEADER_SIZE - 4));
        return buf.flip();
    }

    /**
     * Reads and checks the header of {@code file}.
     *
     * @throws JournalCorruptedException naming the file if the header is short, of another kind
     *         or format version, or damaged
     */
    static Header readHeader(FileChannel channel, Path file, Kind kind) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_SIZE);
        while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {
            // keep reading until full or end of file
        }
        if (buf.hasRemaining()) {
            throw JournalCorruptedException.at(file, 0, "truncated " + kind.description + " header ("
                    + buf.position() + " of " + HEADER_SIZE + " bytes)");
        }
        buf.flip();
        int magic = buf.getInt();
        int version = buf.getInt();
        long revision = buf.getLong();
        long extra = buf.getLong();
        int storedCrc = buf.getInt();
        if (magic != kind.magic) {
            throw JournalCorruptedException.at(file, 0, "not a Kardia " + kind.description
                    + " (magic 0x" + Integer.toHexString(magic) + ")");
        }
        if (storedCrc != crc(buf.array(), HEADER_SIZE - 4)) {
            throw JournalCorruptedException.at(file, 0, "damaged " + kind.description + " header (checksum mismatch)");
        }
        if (version != FORMAT_VERSION) {
            throw new JournalFormatException(file + " is a " + kind.description + " in format version " + version
                    + ", but this build reads only version " + FORMAT_VERSION + "; use the Kardia version that wrote it");
        }
        return new Header(kind, revision, extra);
    }

    static ByteBuffer footer(long recordCount, long revision) {
        ByteBuffer buf = ByteBuffer.allocate(FOOTER_SIZE);
        buf.putInt(FOOTER_MAGIC).putLong(recordCount).putLong(revision);
        buf.putInt(crc(buf.array(), FOOTER_SIZE - 4));
        return buf.flip();
    }

    /** Whether the {@link #FOOTER_SIZE} bytes at {@code offset} are an intact footer. */
    static boolean footerIntact(byte[] buf, int offset) {
        CRC32C crc = new CRC32C();
        crc.update(buf, offset, FOOTER_SIZE - 4);
        return Frames.readInt(buf, offset) == FOOTER_MAGIC
                && Frames.readInt(buf, offset + FOOTER_SIZE - 4) == (int) crc.getValue();
    }

    static long footerRecordCount(byte[] buf, int offset) {
        return Frames.readLong(buf, offset + 4);
    }

    static long footerRevision(byte[] buf, int offset) {
        return Frames.readLong(buf, offset + 12);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
