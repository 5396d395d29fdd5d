package io.kardia.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The manager's health/metrics server on raw sockets: malformed requests get a 400 that names no Java class. */
class ManagerHttpServerTest {
    private ManagerHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new ManagerHttpServer(new InetSocketAddress("127.0.0.1", 0), () -> null, () -> "informers not synced",
                () -> "kardia_up 1\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesProbesAndMetrics() throws IOException {
        assertThat(get("/healthz")).startsWith("HTTP/1.1 200").endsWith("ok\n");
        assertThat(get("/readyz")).startsWith("HTTP/1.1 503").endsWith("informers not synced\n");
        assertThat(get("/metrics")).startsWith("HTTP/1.1 200").endsWith("kardia_up 1\n");
        assertThat(get("/nothing")).startsWith("HTTP/1.1 404");
    }

    @Test
    void aNonNumericContentLengthIsA400WithoutAJavaClassName() throws IOException {
        String response = send("POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("\"code\":400")
                .doesNotContain("Exception").doesNotContain("java.");
        assertThat(get("/healthz")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aBadTargetIsA400WithoutAJavaClassName() throws IOException {
        String response = send("GET /healthz|x HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("\"code\":400")
                .doesNotContain("Exception").doesNotContain("java.");
        assertThat(get("/healthz")).startsWith("HTTP/1.1 200");
    }

    private String get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    /** Sends raw bytes and reads the answer until the server closes the connection. */
    private String send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
