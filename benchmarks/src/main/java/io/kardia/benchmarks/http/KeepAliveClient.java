package io.kardia.benchmarks.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 keep-alive client (one connection, one request at a time, Content-Length
 * responses only): nearly free next to the server, so a same-JVM benchmark measures the server.
 */
final class KeepAliveClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;

    KeepAliveClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** Sends one request and returns the status code after reading the whole response. */
    int send(String method, String path, String token, byte[] body) throws IOException {
        return send(method, path, token, "application/json", body);
    }

    /** As {@link #send(String, String, String, byte[])}, with this body type, asking for the same type back. */
    int send(String method, String path, String token, String contentType, byte[] body) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: " + contentType + "\r\nAccept: " + contentType
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[h.length + body.length];
        System.arraycopy(h, 0, request, 0, h.length);
        System.arraycopy(body, 0, request, h.length, body.length);
        out.write(request);
        out.flush();
        String status = line();
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        for (String l = line(); !l.isEmpty(); l = line()) {
            if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(l.substring(15).trim());
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length");
        }
        skip(length);
        return code;
    }

    private void skip(int n) throws IOException {
        while (n > 0) {
            if (pos == lim) {
                fill();
            }
            int k = Math.min(n, lim - pos);
            pos += k;
            n -= k;
        }
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos == lim) {
                fill();
            }
            byte c = buf[pos++];
            if (c == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) c);
        }
    }

    private void fill() throws IOException {
        int n = in.read(buf);
        if (n <= 0) {
            throw new IOException("connection closed");
        }
        pos = 0;
        lim = n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
