package io.kardia.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** The manager's /healthz, /readyz and /metrics endpoints on the JDK's HTTP server. */
final class ManagerHttpServer implements AutoCloseable {
    static {
        // TCP_NODELAY on the JDK server's connections (read once, by whichever server starts
        // first in the JVM: the reference store's ApiServer sets the same; see there why).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A probe's answer: null when healthy, else why not. */
    interface Probe extends Supplier<String> {
    }

    private final HttpServer server;
    private final ExecutorService executor;

    ManagerHttpServer(InetSocketAddress address, Probe health, Probe readiness, Supplier<String> metrics)
            throws IOException {
        server = HttpServer.create(address, 64);
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("manager-http-", 0).factory());
        server.createContext("/healthz", ex -> probe(ex, health));
        server.createContext("/readyz", ex -> probe(ex, readiness));
        server.createContext("/metrics", ex -> {
            try (ex) {
                if (!"GET".equals(ex.getRequestMethod())) {
                    respond(ex, 405, "text/plain; charset=utf-8", "only GET is allowed on /metrics\n");
                    return;
                }
                respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get());
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange ex, Probe probe) throws IOException {
        try (ex) {
            String problem = probe.get();
            if (problem == null) {
                respond(ex, 200, "text/plain; charset=utf-8", "ok\n");
            } else {
                respond(ex, 503, "text/plain; charset=utf-8", problem + "\n");
            }
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
        server.stop(0);
        executor.shutdownNow();
    }
}
