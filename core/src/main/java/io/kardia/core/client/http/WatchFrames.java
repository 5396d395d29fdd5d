package io.kardia.core.client.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.kardia.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * Splits a watch body into the bytes of its events without decoding them, so that a streaming
 * list's initial events can be decoded on several threads ({@link InitialEventsReadAhead}). A JSON
 * body is split at the end of each top-level object (a scan of brackets and strings), a protobuf
 * body at its length prefixes. Whatever this splitter cannot split (a body that is not a
 * sequence of objects, a frame beyond {@link #MAX_FRAME_BYTES}, a stream cut inside an event) it
 * leaves to the streaming reader through {@link #rest()}, which reports such streams as it always
 * has.
 */
abstract sealed class WatchFrames {
    /** Larger events are left to the streaming reader (kube-apiserver's objects are at most 3 MiB). */
    static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    protected final InputStream body;
    /** Bytes handed back with {@link #unread}, read again by the streaming reader first. */
    private byte[] unread = new byte[0];
    /** The failure that ended reading: the streaming reader meets it after the bytes before it. */
    private IOException failure;

    private WatchFrames(InputStream body) {
        this.body = body;
    }

    static WatchFrames of(InputStream body, boolean protobuf) {
        return protobuf ? new Protobuf(body) : new JsonObjects(body);
    }

    /**
     * The next event's bytes (a JSON object, or a protobuf {@code WatchEvent} without its length
     * prefix); null at the end of the body or where this splitter stops (the rest is then in
     * {@link #rest()}). Blocks until the whole event has arrived.
     */
    final byte[] next() {
        if (failure != null) {
            return null;
        }
        try {
            return readFrame();
        } catch (IOException e) {
            failure = e;
            return null;
        }
    }

    protected abstract byte[] readFrame() throws IOException;

    /** True if bytes of a further event have arrived (reading the next event is then unlikely to wait for the server). */
    abstract boolean hasBuffered();

    /** Whether {@code frame} is an ADDED event; false for anything else, including what cannot be read. */
    abstract boolean isAdded(byte[] frame);

    /** Gives {@code frame}, just returned by {@link #next()}, back: {@link #rest()} starts with it. */
    abstract void unread(byte[] frame);

    /** The bytes not returned as events, then the rest of the body (then the failure that stopped reading, if any). */
    final InputStream rest() {
        InputStream remaining = new SequenceInputStream(new ByteArrayInputStream(unread), new ByteArrayInputStream(buffered()));
        return new SequenceInputStream(remaining, failure == null ? body : new FailingStream(failure));
    }

    protected abstract byte[] buffered();

    protected final void setUnread(byte[] bytes) {
        unread = bytes;
    }

    /** Throws the failure that ended the read-ahead, as the body itself would have. */
    private static final class FailingStream extends InputStream {
        private final IOException failure;

        FailingStream(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int read() throws IOException {
            throw failure;
        }
    }

    /** JSON watch events: top-level objects, one after another (kube-apiserver ends each with a newline). */
    static final class JsonObjects extends WatchFrames {
        private byte[] buf = new byte[64 * 1024];
        private int start;
        private int end;
        private boolean eof;

        JsonObjects(InputStream body) {
            super(body);
        }

        @Override
        protected byte[] readFrame() throws IOException {
            while (true) { // skip the whitespace between events
                while (start < end && isWhitespace(buf[start])) {
                    start++;
                }
                if (start < end || !fill()) {
                    break;
                }
            }
            if (start == end || buf[start] != '{') {
                return null; // the end, or not an object: the streaming reader says what it is
            }
            int depth = 0;
            boolean inString = false;
            boolean escaped = false;
            int scan = start;
            while (true) {
                for (; scan < end; scan++) {
                    byte b = buf[scan];
                    if (inString) {
                        if (escaped) {
                            escaped = false;
                        } else if (b == '\\') {
                            escaped = true;
                        } else if (b == '"') {
                            inString = false;
                        }
                    } else if (b == '"') {
                        inString = true;
                    } else if (b == '{' || b == '[') {
                        depth++;
                    } else if ((b == '}' || b == ']') && --depth == 0) {
                        byte[] frame = Arrays.copyOfRange(buf, start, scan + 1);
                        start = scan + 1;
                        return frame;
                    }
                }
                if (scan - start >= MAX_FRAME_BYTES) {
                    return null;
                }
                int offset = start;
                if (!fill()) {
                    return null; // cut inside an event: the streaming reader reports it
                }
                scan -= offset - start; // fill() may have moved the bytes to the buffer's front
            }
        }

        /** Reads more of the body, keeping the unreturned bytes; false at its end. */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = body.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
                return false;
            }
            end += n;
            return true;
        }

        private static boolean isWhitespace(byte b) {
            return b == ' ' || b == '\n' || b == '\r' || b == '\t';
        }

        @Override
        boolean hasBuffered() {
            for (int i = start; i < end; i++) {
                if (!isWhitespace(buf[i])) {
                    return true;
                }
            }
            try {
                return body.available() > 0;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        boolean isAdded(byte[] frame) {
            try (JsonParser p = Json.mapper().createParser(frame)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return false;
                }
                for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                    JsonToken value = p.nextToken();
                    if ("type".equals(field)) {
                        return value == JsonToken.VALUE_STRING && "ADDED".equals(p.getText());
                    }
                    p.skipChildren();
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        void unread(byte[] frame) {
            setUnread(frame);
        }

        @Override
        protected byte[] buffered() {
            return Arrays.copyOfRange(buf, start, end);
        }
    }

    /** Protobuf watch frames: a 4-byte big-endian length, then a {@code WatchEvent}. */
    static final class Protobuf extends WatchFrames {
        /** Bytes of an event this splitter began but did not finish reading. */
        private byte[] partial = new byte[0];

        Protobuf(InputStream body) {
            super(body);
        }

        @Override
        protected byte[] readFrame() throws IOException {
            byte[] header = new byte[4];
            int got = readFully(header, 0);
            if (got < 4) {
                partial = Arrays.copyOf(header, got);
                return null;
            }
            long length = ((header[0] & 0xffL) << 24) | ((header[1] & 0xffL) << 16) | ((header[2] & 0xffL) << 8)
                    | (header[3] & 0xffL);
            if (length > MAX_FRAME_BYTES) {
                partial = header;
                return null;
            }
            byte[] frame = new byte[(int) length];
            int read = readFully(frame, 0);
            if (read < length) {
                byte[] both = Arrays.copyOf(header, 4 + read);
                System.arraycopy(frame, 0, both, 4, read);
                partial = both;
                return null;
            }
            return frame;
        }

        /**
         * Reads until {@code into} is full or the body ends. Never asks for 0 bytes: an HTTP body's
         * stream would block for more data then.
         */
        private int readFully(byte[] into, int from) throws IOException {
            int n = from;
            while (n < into.length) {
                int r = body.read(into, n, into.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            return n;
        }

        @Override
        boolean hasBuffered() {
            try {
                return body.available() > 0;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        boolean isAdded(byte[] frame) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(frame);
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    if (tag == ((1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                        return "ADDED".equals(in.readStringRequireUtf8());
                    }
                    in.skipField(tag);
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        void unread(byte[] frame) {
            byte[] framed = new byte[4 + frame.length];
            framed[0] = (byte) (frame.length >>> 24);
            framed[1] = (byte) (frame.length >>> 16);
            framed[2] = (byte) (frame.length >>> 8);
            framed[3] = (byte) frame.length;
            System.arraycopy(frame, 0, framed, 4, frame.length);
            setUnread(framed);
        }

        @Override
        protected byte[] buffered() {
            return partial;
        }
    }
}
