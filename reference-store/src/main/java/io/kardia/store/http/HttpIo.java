package io.kardia.store.http;

import io.kardia.http.JettyServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading requests and writing JSON responses, with kube-apiserver's limits. */
final class HttpIo {
    /** kube-apiserver's request body limit. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private HttpIo() {
    }

    /**
     * The body, refused with 413 beyond the limit whatever the Content-Length claims, and with 400
     * when its framing is broken (a bad chunk header, a body shorter than declared). The stream is
     * left open: {@link #sendHeaders} reads whatever is left before answering.
     */
    static byte[] readBody(HttpExchange ex) throws IOException {
        long length = declaredLength(ex);
        if (length > MAX_BODY_BYTES) {
            throw closing(ex, tooLarge());
        }
        InputStream in = ex.getRequestBody();
        try {
            if (length >= 0) {
                // declared length: one exact allocation, no growing buffers
                byte[] body = new byte[(int) length];
                int n = in.readNBytes(body, 0, body.length);
                if (n != body.length) {
                    throw closing(ex, KubeApiException.of(Status.badRequest("the request body ended after " + n
                            + " of the " + length + " bytes its Content-Length declared")));
                }
                return body;
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw closing(ex, tooLarge());
            }
            return body;
        } catch (IOException e) {
            // Jetty's parser fails the body's stream on a malformed chunk header or a body cut
            // short; the idle timeout fails it when the client stops sending.
            throw closing(ex, KubeApiException.of(Status.badRequest("the request body could not be read: "
                    + bodyReadFailure(e))));
        }
    }

    /** What went wrong while reading a body, in words that name no Java class. */
    private static String bodyReadFailure(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                return "the client sent nothing for " + JettyServer.idleTimeout().toSeconds() + " s";
            }
        }
        return "it ended before its declared length, or its chunked encoding is malformed";
    }

    /**
     * The declared Content-Length, -1 when none; anything but plain decimal digits (such as
     * {@code +5}, which Java's number parsing would accept) is a 400 that closes the connection:
     * the body's framing cannot be trusted.
     */
    static long declaredLength(HttpExchange ex) {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return -1;
        }
        String v = declared.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw closing(ex, new KubeApiException.BadRequestException(Status.badRequest("invalid Content-Length header")));
        }
        return Long.parseLong(v);
    }

    /** Marks the connection to be closed after the response (the request's framing is not trusted). */
    static KubeApiException closing(HttpExchange ex, KubeApiException e) {
        ex.getResponseHeaders().set("Connection", "close");
        return e;
    }

    /**
     * Sends the status line and headers. First reads and drops whatever of the request body the
     * handler did not read (an early 401, 404, 405, 415...): answering before the body is consumed
     * left the next request on a TLS keep-alive connection unanswered. A body larger than any
     * acceptable one is not read on; the connection is closed after the response instead.
     */
    static void sendHeaders(HttpExchange ex, int code, long length) throws IOException {
        discardUnreadBody(ex);
        ex.sendResponseHeaders(code, length);
    }

    private static void discardUnreadBody(HttpExchange ex) {
        if ("close".equalsIgnoreCase(ex.getResponseHeaders().getFirst("Connection"))) {
            return;
        }
        try {
            InputStream in = ex.getRequestBody();
            byte[] scratch = new byte[8192];
            long left = MAX_BODY_BYTES + 1L;
            while (left > 0) {
                int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
            ex.getResponseHeaders().set("Connection", "close");
        } catch (IOException e) {
            // broken framing (see readBody): answer anyway, then close
            ex.getResponseHeaders().set("Connection", "close");
        }
    }

    private static KubeApiException tooLarge() {
        return KubeApiException.of(Status.tooLarge("the request body is larger than the limit of "
                + MAX_BODY_BYTES + " bytes"));
    }

    static Map<String, String> query(HttpExchange ex) {
        String raw = ex.getRequestURI().getRawQuery();
        Map<String, String> out = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    static void sendJson(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Cache-Control", "no-cache, private");
        if (ex.getRequestMethod().equals("HEAD")) {
            // the same status and headers as for GET, never a body
            sendHeaders(ex, code, -1);
            ex.getResponseBody().close();
            return;
        }
        sendHeaders(ex, code, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static void sendJson(HttpExchange ex, int code, JsonNode body) throws IOException {
        sendJson(ex, code, Json.toBytes(body));
    }

    static void sendStatus(HttpExchange ex, Status status) throws IOException {
        int code = status.code() == null ? 500 : status.code();
        if (code == 429 && status.details() != null && status.details().retryAfterSeconds() != null) {
            ex.getResponseHeaders().set("Retry-After", String.valueOf(status.details().retryAfterSeconds()));
        }
        ProtobufResponses protobuf = ProtobufResponses.of(ex);
        if (protobuf != null) {
            protobuf.sendStatus(ex, code, status);
            return;
        }
        sendJson(ex, code, Json.toBytes(status));
    }

    /** The media type part of Content-Type, lower-cased, without parameters. */
    static String contentType(HttpExchange ex) {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(java.util.Locale.ROOT);
    }
}
