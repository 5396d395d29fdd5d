package io.kardia.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a journal file sequentially through a buffer, exposing the bytes at the current offset
 * so frames can be checked before they are decoded.
 */
final class FrameReader {
    private static final int INITIAL_BUFFER = 1 << 20;

    private final FileChannel channel;
    private final long end;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private long bufStart;
    private int bufLength;
    private int pos;

    FrameReader(FileChannel channel, long start, long end) {
        this.channel = channel;
        this.end = end;
        this.bufStart = start;
    }

    /** File offset of the next unread byte. */
    long offset() {
        return bufStart + pos;
    }

    long end() {
        return end;
    }

    byte[] buffer() {
        return buf;
    }

    int position() {
        return pos;
    }

    void skip(int bytes) {
        pos += bytes;
    }

    /**
     * Makes up to {@code wanted} bytes readable at {@link #position()} (fewer only at the end of
     * the file).
     *
     * @return how many bytes are readable
     */
    int fill(int wanted) throws IOException {
        int available = bufLength - pos;
        if (available >= wanted) {
            return available;
        }
        int target = (int) Math.min(wanted, end - offset());
        if (target > buf.length) {
            byte[] bigger = new byte[Math.max(target, Math.min(buf.length * 2, Integer.MAX_VALUE - 16))];
            System.arraycopy(buf, pos, bigger, 0, available);
            buf = bigger;
        } else {
            System.arraycopy(buf, pos, buf, 0, available);
        }
        bufStart += pos;
        pos = 0;
        bufLength = available;
        ByteBuffer into = ByteBuffer.wrap(buf);
        while (bufLength < buf.length && bufStart + bufLength < end) {
            into.limit((int) Math.min(buf.length, end - bufStart)).position(bufLength);
            int read = channel.read(into, bufStart + bufLength);
            if (read < 0) {
                break;
            }
            bufLength += read;
        }
        return bufLength - pos;
    }

    /**
     * Checks the frame at the current offset.
     *
     * @return 0 at the end of the file, the frame's size, or a negative {@link Frames} outcome
     */
    int checkFrame() throws IOException {
        int available = fill(Frames.PREFIX);
        if (available == 0) {
            return 0;
        }
        if (available < Frames.PREFIX) {
            return Frames.TRUNCATED;
        }
        int body = Frames.readInt(buf, pos);
        if (body < Frames.MIN_BODY || body > Frames.MAX_BODY) {
            return Frames.IMPLAUSIBLE_LENGTH;
        }
        int readable = fill(Frames.PREFIX + body); // may move the bytes: read buf and pos after it
        return Frames.validate(buf, pos, readable);
    }

    /**
     * Whether any intact frame with a revision above {@code afterRevision} starts after
     * {@code from}: tells damage in the middle of the log from a torn final write.
     */
    static boolean validFrameAfter(FileChannel channel, long from, long end, long afterRevision) throws IOException {
        long length = end - from;
        if (length <= 0) {
            return false;
        }
        if (length > Integer.MAX_VALUE - 16) {
            return true; // cannot be one torn write; treat as damage rather than drop it
        }
        byte[] tail = new byte[(int) length];
        ByteBuffer into = ByteBuffer.wrap(tail);
        while (into.hasRemaining() && channel.read(into, from + into.position()) > 0) {
            // read it all
        }
        int readable = into.position();
        for (int i = 1; i < readable; i++) {
            if (Frames.isValidFrameAt(tail, i, readable - i, afterRevision)) {
                return true;
            }
        }
        return false;
    }
}
