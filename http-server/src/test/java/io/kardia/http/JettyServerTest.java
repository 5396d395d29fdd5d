package io.kardia.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine answers itself, before any handler runs: a Kubernetes Status naming what was
 * wrong and no Java class, the connection closed, and the server still serving afterwards.
 */
class JettyServerTest {
    private JettyServer server;

    @BeforeEach
    void start() throws IOException {
        server = JettyServer.start(new InetSocketAddress("127.0.0.1", 0), null, false, ex -> {
            try (ex) {
                byte[] body = ("path " + ex.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        }, "jetty-server-test-");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesTheHandlersAnswer() throws IOException {
        String response = send("GET /hello HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("path /hello");
    }

    @Test
    void aNonNumericContentLengthIsA400StatusWithoutAJavaClassName() throws IOException {
        String response = send("POST /hello HTTP/1.1\r\nHost: localhost\r\nContent-Length: twelve\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("\"kind\":\"Status\"").contains("\"code\":400")
                .contains("\"reason\":\"BadRequest\"").doesNotContain("Exception").doesNotContain("java.");
        assertThat(send("GET /after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void aBadTargetIsA400StatusWithoutAJavaClassName() throws IOException {
        String response = send("GET /a|b HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 400").contains("\"kind\":\"Status\"")
                .contains("\"reason\":\"BadRequest\"").doesNotContain("Exception").doesNotContain("java.");
        assertThat(send("GET /after HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void reportsTheBoundPort() {
        assertThat(server.address().getPort()).isPositive();
    }

    /** Sends raw bytes and reads the answer until the server closes the connection. */
    private String send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
