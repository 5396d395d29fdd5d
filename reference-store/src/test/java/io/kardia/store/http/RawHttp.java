package io.kardia.store.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately low-level HTTP/1.1 client for tests: it sends exactly the bytes it is told to
 * (any method, header, declared or chunked length, broken bodies), which higher-level clients
 * refuse to do, and it reads watch streams chunk by chunk.
 */
final class RawHttp {
    private final String host;
    private final int port;
    private final String token;

    RawHttp(String host, int port, String token) {
        this.host = host;
        this.port = port;
        this.token = token;
    }

    /** A response with its headers (names lower-cased) and de-chunked body. */
    record Response(int code, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A request under construction. */
    final class Request {
        private final String method;
        private final String target;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private boolean chunked;
        private boolean auth = true;

        private Request(String method, String target) {
            this.method = method;
            this.target = target;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request contentType(String value) {
            return header("Content-Type", value);
        }

        Request body(String json) {
            return body(json.getBytes(StandardCharsets.UTF_8));
        }

        Request body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        /** Sends the body with chunked transfer encoding, so no length is declared. */
        Request chunked() {
            this.chunked = true;
            return this;
        }

        Request noAuth() {
            this.auth = false;
            return this;
        }

        Response send() throws IOException {
            try (Socket s = open()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                return readResponse(in, method.equals("HEAD"));
            }
        }

        /** Sends the request and leaves the connection open for streaming reads. */
        Stream stream() throws IOException {
            Socket s = open();
            InputStream in = new BufferedInputStream(s.getInputStream());
            int code = readStatusLine(in);
            Map<String, String> h = readHeaders(in);
            return new Stream(s, in, code, h);
        }

        private Socket open() throws IOException {
            Socket s = new Socket(host, port);
            s.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(host).append(':').append(port).append("\r\n");
            head.append("Connection: close\r\n");
            if (auth && token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                if (chunked) {
                    head.append("Transfer-Encoding: chunked\r\n");
                } else if (!headers.containsKey("Content-Length")) {
                    head.append("Content-Length: ").append(body.length).append("\r\n");
                }
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.UTF_8));
                if (body != null) {
                    writeBody(out);
                }
                out.flush();
            } catch (IOException e) {
                // The server may answer (413) and close before reading everything: read the answer anyway.
            }
            return s;
        }

        private void writeBody(OutputStream out) throws IOException {
            if (!chunked) {
                out.write(body);
                return;
            }
            int chunk = 64 * 1024;
            for (int off = 0; off < body.length; off += chunk) {
                int n = Math.min(chunk, body.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, off, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** An open streaming response (a watch), read one chunk at a time. */
    static final class Stream implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        final int code;
        final Map<String, String> headers;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean ended;

        Stream(Socket socket, InputStream in, int code, Map<String, String> headers) {
            this.socket = socket;
            this.in = in;
            this.code = code;
            this.headers = headers;
        }

        boolean isChunked() {
            return "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        }

        /** The next newline-terminated line of the stream, or null when the stream ended. */
        String nextLine() throws IOException {
            while (true) {
                byte[] buf = pending.toByteArray();
                for (int i = 0; i < buf.length; i++) {
                    if (buf[i] == '\n') {
                        pending.reset();
                        pending.write(buf, i + 1, buf.length - i - 1);
                        return new String(buf, 0, i, StandardCharsets.UTF_8);
                    }
                }
                if (ended) {
                    if (buf.length > 0) {
                        throw new IOException("stream ended inside a frame: " + new String(buf, StandardCharsets.UTF_8));
                    }
                    return null;
                }
                byte[] chunk = isChunked() ? readChunk(in) : readAvailable(in);
                if (chunk == null) {
                    ended = true;
                } else {
                    pending.write(chunk);
                }
            }
        }

        /** Up to {@code max} raw bytes of the response body as they arrive (chunk framing included). */
        byte[] readRaw(int max) throws IOException {
            byte[] buf = new byte[max];
            int n = in.read(buf);
            return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(buf, n);
        }

        /** Drops the connection at once (TCP reset), as a crashed client or a cut network does. */
        void abort() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    Request request(String method, String target) {
        return new Request(method, target);
    }

    Response get(String target) throws IOException {
        return request("GET", target).send();
    }

    Response post(String target, String json) throws IOException {
        return request("POST", target).contentType("application/json").body(json).send();
    }

    Response put(String target, String json) throws IOException {
        return request("PUT", target).contentType("application/json").body(json).send();
    }

    Response patch(String target, String contentType, String patch) throws IOException {
        return request("PATCH", target).contentType(contentType).body(patch).send();
    }

    Response delete(String target) throws IOException {
        return request("DELETE", target).send();
    }

    Response delete(String target, String options) throws IOException {
        return request("DELETE", target).contentType("application/json").body(options).send();
    }

    // ------------------------------------------------------------------ parsing

    static Response readResponse(InputStream in, boolean head) throws IOException {
        int code = readStatusLine(in);
        Map<String, String> headers = readHeaders(in);
        byte[] body;
        if (head) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (byte[] c = readChunk(in); c != null; c = readChunk(in)) {
                all.write(c);
            }
            body = all.toByteArray();
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length").trim()));
        } else {
            body = in.readAllBytes();
        }
        return new Response(code, headers, body);
    }

    private static int readStatusLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new IOException("no response");
        }
        String[] parts = line.split(" ", 3);
        return Integer.parseInt(parts[1]);
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** What arrived of a body that ends when the connection closes, or null at its end. */
    private static byte[] readAvailable(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        int n = in.read(buf);
        return n < 0 ? null : java.util.Arrays.copyOf(buf, n);
    }

    /** One chunk's data, or null at the terminating zero-length chunk or end of stream. */
    private static byte[] readChunk(InputStream in) throws IOException {
        String size = readLine(in);
        if (size == null) {
            return null;
        }
        int semi = size.indexOf(';');
        int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        if (n == 0) {
            readLine(in);
            return null;
        }
        byte[] data = in.readNBytes(n);
        readLine(in);
        return data;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
