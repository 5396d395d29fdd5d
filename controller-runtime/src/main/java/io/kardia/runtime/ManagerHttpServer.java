package io.kardia.runtime;

import com.sun.net.httpserver.HttpExchange;
import io.kardia.http.JettyServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The manager's /healthz, /readyz and /metrics endpoints, on Kardia's HTTP server
 * ({@link JettyServer}: a malformed request gets a {@code Status}, never a Java class name).
 */
final class ManagerHttpServer implements AutoCloseable {

    /** A probe's answer: null when healthy, else why not. */
    interface Probe extends Supplier<String> {
    }

    private final JettyServer server;
    private final Probe health;
    private final Probe readiness;
    private final Supplier<String> metrics;

    ManagerHttpServer(InetSocketAddress address, Probe health, Probe readiness, Supplier<String> metrics)
            throws IOException {
        this.health = health;
        this.readiness = readiness;
        this.metrics = metrics;
        server = JettyServer.start(address, null, false, this::serve, "manager-http-");
    }

    int port() {
        return server.address().getPort();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (under(path, "/healthz")) {
                probe(ex, health);
            } else if (under(path, "/readyz")) {
                probe(ex, readiness);
            } else if (under(path, "/metrics")) {
                if (!"GET".equals(ex.getRequestMethod())) {
                    respond(ex, 405, "text/plain; charset=utf-8", "only GET is allowed on /metrics\n");
                    return;
                }
                respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
            } else {
                respond(ex, 404, "text/plain; charset=utf-8", "not found: served are /healthz, /readyz and /metrics\n");
            }
        }
    }

    /** The endpoint itself or a path below it (/healthz/ping), as the JDK server's contexts matched. */
    private static boolean under(String path, String endpoint) {
        return path != null && (path.equals(endpoint) || path.startsWith(endpoint + "/"));
    }

    private static void probe(HttpExchange ex, Probe probe) throws IOException {
        String problem = probe.get();
        if (problem == null) {
            respond(ex, 200, "text/plain; charset=utf-8", "ok\n");
        } else {
            respond(ex, 503, "text/plain; charset=utf-8", problem + "\n");
        }
    }

    private static void respond(HttpExchange ex, int code, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
