package io.kardia.store.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protobuf wire output written back to front, as gogo-protobuf's {@code MarshalToSizedBuffer}
 * does: a nested message is written first and its length is known when its tag and length are
 * put in front of it, so one pass encodes a tree with no size pre-computation. Callers write
 * fields, and elements of repeated fields, in reverse.
 */
final class ReverseWriter {
    private byte[] buf;
    private int pos;

    ReverseWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
        pos = buf.length;
    }

    /** Bytes written so far: the difference before and after a nested message is its length. */
    int written() {
        return buf.length - pos;
    }

    void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    void varint(long v) {
        int n = varintSize(v);
        ensure(n);
        pos -= n;
        int at = pos;
        while ((v & ~0x7FL) != 0) {
            buf[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[at] = (byte) v;
    }

    void fixed64(long v) {
        ensure(8);
        pos -= 8;
        for (int i = 0; i < 8; i++) {
            buf[pos + i] = (byte) (v >>> (8 * i));
        }
    }

    void fixed32(int v) {
        ensure(4);
        pos -= 4;
        for (int i = 0; i < 4; i++) {
            buf[pos + i] = (byte) (v >>> (8 * i));
        }
    }

    void bytes(byte[] b) {
        ensure(b.length);
        pos -= b.length;
        System.arraycopy(b, 0, buf, pos, b.length);
        varint(b.length);
    }

    void string(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    byte[] toByteArray() {
        return Arrays.copyOfRange(buf, pos, buf.length);
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private void ensure(int n) {
        if (pos >= n) {
            return;
        }
        int used = buf.length - pos;
        int size = Math.max(buf.length * 2, used + n + 64);
        byte[] bigger = new byte[size];
        System.arraycopy(buf, pos, bigger, size - used, used);
        buf = bigger;
        pos = size - used;
    }
}
