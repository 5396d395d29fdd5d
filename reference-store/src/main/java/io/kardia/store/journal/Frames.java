package io.kardia.store.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk framing of one {@link JournalRecord}, shared by log segments and snapshots.
 *
 * <pre>
 * int   bodyLength
 * int   crc32c over (bodyLength, body)
 * body: long revision, byte op, u16 resourceLength, resource UTF-8, u16 keyLength, key UTF-8,
 *       int valueLength (-1: no value), value bytes
 * </pre>
 * All integers big-endian.
 */
final class Frames {
    static final int PREFIX = 8;
    static final int MIN_BODY = 8 + 1 + 2 + 2 + 4;
    static final int MAX_VALUE = 64 << 20;
    static final int MAX_NAME = 0xFFFF;
    static final int MAX_BODY = MIN_BODY + 2 * MAX_NAME + MAX_VALUE;

    /** Outcomes of {@link #validate} other than a frame size. */
    static final int TRUNCATED = -1;
    static final int IMPLAUSIBLE_LENGTH = -2;
    static final int CHECKSUM_MISMATCH = -3;
    static final int MALFORMED = -4;

    private Frames() {
    }

    static byte[] encode(JournalRecord record) {
        byte[] resource = record.resource().getBytes(StandardCharsets.UTF_8);
        byte[] key = record.key().getBytes(StandardCharsets.UTF_8);
        byte[] value = record.value();
        if (resource.length > MAX_NAME || key.length > MAX_NAME) {
            throw new IllegalArgumentException("journal record resource and key must each be at most "
                    + MAX_NAME + " bytes: " + record);
        }
        if (value != null && value.length > MAX_VALUE) {
            throw new IllegalArgumentException("journal record value is " + value.length
                    + " bytes, more than the limit of " + MAX_VALUE + ": " + record);
        }
        int body = MIN_BODY + resource.length + key.length + (value == null ? 0 : value.length);
        byte[] frame = new byte[PREFIX + body];
        ByteBuffer out = ByteBuffer.wrap(frame);
        out.putInt(body).putInt(0)
                .putLong(record.revision())
                .put((byte) record.op().ordinal())
                .putShort((short) resource.length).put(resource)
                .putShort((short) key.length).put(key);
        if (value == null) {
            out.putInt(-1);
        } else {
            out.putInt(value.length).put(value);
        }
        out.putInt(4, checksum(frame, 0, body));
        return frame;
    }

    /**
     * Checks the frame starting at {@code offset} with {@code available} bytes readable there.
     *
     * @return the frame's total size, or one of the negative outcome constants
     */
    static int validate(byte[] buf, int offset, int available) {
        if (available < PREFIX) {
            return TRUNCATED;
        }
        int body = readInt(buf, offset);
        if (body < MIN_BODY || body > MAX_BODY) {
            return IMPLAUSIBLE_LENGTH;
        }
        if (available - PREFIX < body) {
            return TRUNCATED;
        }
        if (readInt(buf, offset + 4) != checksum(buf, offset, body)) {
            return CHECKSUM_MISMATCH;
        }
        return wellFormed(buf, offset, body) ? PREFIX + body : MALFORMED;
    }

    /**
     * Whether a whole, checksummed frame with a revision above {@code afterRevision} starts here;
     * cheap checks first because it is tried at every offset of a damaged region.
     */
    static boolean isValidFrameAt(byte[] buf, int offset, int available, long afterRevision) {
        if (available < PREFIX + MIN_BODY) {
            return false;
        }
        int body = readInt(buf, offset);
        if (body < MIN_BODY || body > MAX_BODY || available - PREFIX < body) {
            return false;
        }
        return wellFormed(buf, offset, body)
                && readLong(buf, offset + PREFIX) > afterRevision
                && readInt(buf, offset + 4) == checksum(buf, offset, body);
    }

    /** Decodes a frame that {@link #validate} accepted. */
    static JournalRecord decode(byte[] buf, int offset) {
        int at = offset + PREFIX;
        long revision = readLong(buf, at);
        at += 8;
        JournalRecord.Op op = JournalRecord.Op.values()[buf[at++]];
        int resourceLength = readUnsignedShort(buf, at);
        at += 2;
        String resource = new String(buf, at, resourceLength, StandardCharsets.UTF_8);
        at += resourceLength;
        int keyLength = readUnsignedShort(buf, at);
        at += 2;
        String key = new String(buf, at, keyLength, StandardCharsets.UTF_8);
        at += keyLength;
        int valueLength = readInt(buf, at);
        at += 4;
        byte[] value = null;
        if (valueLength >= 0) {
            value = new byte[valueLength];
            System.arraycopy(buf, at, value, 0, valueLength);
        }
        return new JournalRecord(revision, op, resource, key, value);
    }

    static long revision(byte[] buf, int offset) {
        return readLong(buf, offset + PREFIX);
    }

    static String describe(int outcome) {
        return switch (outcome) {
            case TRUNCATED -> "truncated record";
            case IMPLAUSIBLE_LENGTH -> "record with an implausible length";
            case CHECKSUM_MISMATCH -> "record with a checksum mismatch";
            case MALFORMED -> "malformed record";
            default -> "record outcome " + outcome;
        };
    }

    private static boolean wellFormed(byte[] buf, int offset, int body) {
        int at = offset + PREFIX;
        if (readLong(buf, at) <= 0) {
            return false;
        }
        byte op = buf[at + 8];
        if (op != 0 && op != 1) {
            return false;
        }
        int used = MIN_BODY;
        int resourceLength = readUnsignedShort(buf, at + 9);
        used += resourceLength;
        if (used > body) {
            return false;
        }
        int keyLength = readUnsignedShort(buf, at + 11 + resourceLength);
        used += keyLength;
        if (used > body) {
            return false;
        }
        int valueLength = readInt(buf, at + 13 + resourceLength + keyLength);
        if (valueLength < -1 || (valueLength == -1 && op == 0)) {
            return false;
        }
        return used + Math.max(valueLength, 0) == body;
    }

    static int checksum(byte[] buf, int frameOffset, int body) {
        CRC32C crc = new CRC32C();
        crc.update(buf, frameOffset, 4);
        crc.update(buf, frameOffset + PREFIX, body);
        return (int) crc.getValue();
    }

    static int readInt(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 24) | ((buf[at + 1] & 0xFF) << 16) | ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF);
    }

    static long readLong(byte[] buf, int at) {
        return ((long) readInt(buf, at) << 32) | (readInt(buf, at + 4) & 0xFFFFFFFFL);
    }

    private static int readUnsignedShort(byte[] buf, int at) {
        return ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
    }
}
