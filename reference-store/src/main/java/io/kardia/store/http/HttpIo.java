package io.kardia.store.http;

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

/** Reading requests and writing JSON responses on the JDK HTTP server, with kube-apiserver's limits. */
final class HttpIo {
    /** kube-apiserver's request body limit. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private HttpIo() {
    }

    /** The body, refused with 413 beyond the limit whatever the Content-Length claims. */
    static byte[] readBody(HttpExchange ex) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw new KubeApiException.BadRequestException(Status.badRequest("invalid Content-Length header"));
            }
            if (length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            if (length >= 0) {
                // declared length: one exact allocation, no growing buffers
                byte[] body = new byte[(int) length];
                int n = in.readNBytes(body, 0, body.length);
                return n == body.length ? body : java.util.Arrays.copyOf(body, n);
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw tooLarge();
            }
            return body;
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
            ex.sendResponseHeaders(code, -1);
            ex.getResponseBody().close();
            return;
        }
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
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
