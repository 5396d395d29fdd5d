package io.kardia.benchmarks.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A watch read with as little client work as possible (raw socket, de-chunking, no character
 * decoding), so that in a same-JVM benchmark the CPU goes to the server under test: each event line
 * is handed over as bytes.
 */
final class RawWatchStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private int chunkLeft;
    /** Chunks and socket reads so far: how many events the server packs per chunk, the client per read. */
    private long chunks;
    private long reads;
    private boolean ended;

    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;

    RawWatchStream(int port, String token, String target) throws IOException {
        socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = socket.getInputStream();
        String status = readAsciiLine();
        if (status == null || !status.contains(" 200 ")) {
            throw new IOException("watch answered " + status);
        }
        while (true) {
            String h = readAsciiLine();
            if (h == null || h.isEmpty()) {
                break;
            }
        }
    }

    /**
     * Scans to the end of the next event line that carries {@code pattern} followed by decimal
     * digits and returns that number; -1 when the stream ended. No copying, no decoding: a tight
     * byte loop, so the client costs little next to the server in a same-JVM benchmark.
     */
    long nextStamp(byte[] pattern) throws IOException {
        int matched = 0;
        long value = -1;
        boolean inValue = false;
        while (true) {
            if (chunkLeft == 0 && !startChunk()) {
                return -1;
            }
            if (pos == lim && !fill()) {
                return -1;
            }
            int end = pos + Math.min(chunkLeft, lim - pos);
            int i = pos;
            for (; i < end; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (value >= 0) {
                        i++;
                        chunkLeft -= i - pos;
                        pos = i;
                        return value;
                    }
                    matched = 0;
                    continue;
                }
                if (inValue) {
                    if (b >= '0' && b <= '9') {
                        value = value * 10 + (b - '0');
                    } else {
                        inValue = false;
                    }
                } else if (value < 0) {
                    if (b == pattern[matched]) {
                        if (++matched == pattern.length) {
                            inValue = true;
                            value = 0;
                        }
                    } else {
                        matched = b == pattern[0] ? 1 : 0;
                    }
                }
            }
            chunkLeft -= i - pos;
            pos = i;
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf);
        reads++;
        if (n <= 0) {
            ended = true;
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    /** Reads the next chunk-size line (skipping the CRLF that ended the previous chunk) without allocating. */
    private boolean startChunk() throws IOException {
        if (ended) {
            return false;
        }
        int size = 0;
        boolean digits = false;
        boolean extension = false;
        while (true) {
            if (pos == lim && !fill()) {
                ended = true;
                return false;
            }
            byte c = buf[pos++];
            if (c == '\n') {
                if (digits) {
                    break;
                }
                continue; // the empty line (CRLF) after the previous chunk's data
            }
            if (c == '\r' || extension) {
                continue;
            }
            int d = Character.digit(c, 16);
            if (d < 0) {
                extension = digits; // ";ext" after the size; anything else before it is not chunked framing
                if (!digits) {
                    throw new IOException("bad chunk header byte " + c);
                }
                continue;
            }
            size = size * 16 + d;
            digits = true;
        }
        chunkLeft = size;
        chunks++;
        if (chunkLeft == 0) {
            ended = true;
            return false;
        }
        return true;
    }

    private String readAsciiLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos == lim && !fill()) {
                return sb.isEmpty() ? null : sb.toString();
            }
            byte c = buf[pos++];
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
    }

    long chunks() {
        return chunks;
    }

    long reads() {
        return reads;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
