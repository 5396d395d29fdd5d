package io.kardia.store.http;

import com.sun.net.httpserver.HttpExchange;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.Status;

/**
 * Checks of the request line and framing headers, made before anything else looks at the request
 * (as Go's net/http does for kube-apiserver). Jetty's parser refuses all of these itself today
 * (answered by {@code io.kardia.http.StatusErrorHandler}); they stay here so that no handler depends on the
 * engine's parser for them (the JDK's server let them through). A request that fails one gets a
 * 400 Status and its connection is closed: what follows on it cannot be trusted.
 */
final class RequestFraming {
    private RequestFraming() {
    }

    static void check(HttpExchange ex) {
        String method = ex.getRequestMethod();
        if (method.isEmpty() || !method.chars().allMatch(RequestFraming::isTokenChar)) {
            throw HttpIo.closing(ex, KubeApiException.of(Status.badRequest("invalid method " + quoted(method))));
        }
        String version = ex.getProtocol();
        if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
            throw HttpIo.closing(ex, KubeApiException.of(Status.badRequest("malformed HTTP version " + quoted(version))));
        }
        HttpIo.declaredLength(ex);
    }

    /** RFC 9110's tchar. */
    private static boolean isTokenChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** Quoted and cut short, control and non-ASCII characters escaped: it is the client's text, echoed back. */
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", (int) c & 0xff));
            } else {
                if (c == '"' || c == '\\') {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.append(s.length() > 64 ? "...\"" : "\"").toString();
    }
}
