package io.kardia.store.http;

import io.kardia.http.JettyServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.store.ReferenceStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server over real TLS keep-alive connections, with requests a hostile or careless client sends. */
@Timeout(180)
class HttpHardeningTest {
    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static ApiServer server;
    private static SSLContext client;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        TlsMaterial tls = TlsMaterial.ensure(dir.resolve("tls"));
        token = BearerTokenAuthenticator.newToken();
        server = ApiServer.start(store, "127.0.0.1", 0, token, tls.sslContext());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(tls.caPem().getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    /** One TLS connection, reused for every request. */
    private static final class Connection implements AutoCloseable {
        private final SSLSocket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection() throws IOException {
            socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port());
            socket.setSoTimeout(60_000); // a hang fails the test instead of blocking it
            socket.startHandshake();
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Response send(String method, String target, boolean auth, String extraHeaders, byte[] body) throws IOException {
            StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            if (auth) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            head.append(extraHeaders);
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return Response.read(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Response(int code, Map<String, String> headers, String body) {
        static Response read(InputStream in) throws IOException {
            String status = line(in);
            if (status == null) {
                return null; // the server closed the connection
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0;
                     n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(n));
                    line(in);
                }
                line(in);
            }
            return new Response(Integer.parseInt(status.split(" ")[1]), headers, body.toString(StandardCharsets.UTF_8));
        }

        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void earlyErrorsOnRequestsWithUnreadBodiesLeaveTheKeepAliveConnectionUsable() throws Exception {
        byte[] body = ("{\"metadata\":{\"name\":\"x\"},\"data\":{\"k\":\"" + "v".repeat(200_000) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        String json = "Content-Type: application/json\r\n";
        try (Connection c = new Connection()) {
            for (int round = 0; round < 50; round++) {
                assertThat(c.send("POST", "/api/v1/namespaces/default/configmaps", false, json, body).code())
                        .as("401 in round %d", round).isEqualTo(401);
                assertThat(c.send("POST", "/api/v1/namespaces/default/nosuchthings", true, json, body).code())
                        .as("404 in round %d", round).isEqualTo(404);
                assertThat(c.send("POST", "/api/v1/configmaps", true, json, body).code())
                        .as("405 in round %d", round).isEqualTo(405);
                assertThat(c.send("POST", "/api/v1/namespaces/default/configmaps", true,
                        "Content-Type: text/plain\r\n", body).code())
                        .as("415 in round %d", round).isEqualTo(415);
                Response ok = c.send("GET", "/api/v1/namespaces/default", true, "", null);
                assertThat(ok).as("answer to the GET in round %d", round).isNotNull();
                assertThat(ok.code()).isEqualTo(200);
            }
        }
    }

    @Test
    void aContentLengthWithASignIsRefusedAndTheConnectionClosed() throws Exception {
        try (Connection c = new Connection()) {
            c.out.write(("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/json\r\nContent-Length: +2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            Response r = Response.read(c.in);
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.body()).contains("\"kind\":\"Status\"").contains("Invalid Content-Length Value");
            assertThat(r.headers().get("connection")).isEqualToIgnoringCase("close");
        }
    }

    @Test
    void anOversizedChunkSizeLineGetsA400() throws Exception {
        try (Connection c = new Connection()) {
            String head = "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1".repeat(5000) + "\r\n";
            c.out.write(head.getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            Response r = Response.read(c.in);
            assertThat(r).isNotNull();
            assertThat(r.code()).isEqualTo(400);
            assertThat(r.body()).contains("the request body could not be read");
        }
    }

    @Test
    void errorResponsesNeverNameJavaClasses() throws Exception {
        try (Connection c = new Connection()) {
            for (String[] req : new String[][] {
                {"POST", "/api/v1/namespaces/default/configmaps", "{\"metadata\":{\"name\":"},
                {"POST", "/api/v1/namespaces/default/configmaps", "[1,2]"},
                {"PATCH", "/api/v1/namespaces/default/configmaps/missing", "{}"},
                {"POST", "/api/v1/namespaces/default/pods", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"terminationGracePeriodSeconds\":\"x\"}}"},
            }) {
                Response r = c.send(req[0], req[1], true, "Content-Type: application/json\r\n",
                        req[2].getBytes(StandardCharsets.UTF_8));
                assertThat(r.code()).as(req[1]).isBetween(400, 499);
                assertThat(r.body()).as(req[1]).doesNotContainPattern("(java|javax|com\\.fasterxml|io\\.kardia)\\.[a-z]")
                        .doesNotContain("Exception");
            }
        }
    }

    @Test
    void aClientThatStallsMidRequestIsCutOff() throws Exception {
        try (Socket raw = client.getSocketFactory().createSocket("127.0.0.1", server.port())) {
            long limit = JettyServer.idleTimeout().toSeconds();
            raw.setSoTimeout((int) Math.max(60_000, limit * 1000 * 4)); // generous: the server's timer ticks coarsely
            raw.getOutputStream().write(("POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 100\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
            // The server answers (400: the body ended short) or just closes; it never waits forever.
            InputStream in = raw.getInputStream();
            while (in.read() >= 0) {
                // drain until the server closes
            }
        }
    }

    /**
     * The idle timeout cuts off connections on which nothing moves, but a watch waiting for its
     * next event is the server's silence, not the client's: it stays open past the timeout and
     * still delivers the next change.
     */
    @Test
    void aQuietWatchOutlivesTheIdleTimeout() throws Exception {
        try (Connection c = new Connection()) {
            // from now on: no ADDED events for what other tests left behind
            c.out.write(("GET /api/v1/namespaces/default/configmaps?watch=1&resourceVersion=" + store.currentRevision()
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            c.out.flush();
            assertThat(Response.line(c.in)).startsWith("HTTP/1.1 200 ");
            for (String l = Response.line(c.in); l != null && !l.isEmpty(); l = Response.line(c.in)) {
                // headers
            }
            long idleMillis = JettyServer.idleTimeout().toMillis();
            c.socket.setSoTimeout((int) (idleMillis * 2));
            // Nothing arrives for twice the idle timeout, and the server does not close the stream.
            assertThatThrownBy(() -> c.in.read()).isInstanceOf(java.net.SocketTimeoutException.class);
            c.socket.setSoTimeout(60_000);
            store.client().resources(io.kardia.core.model.ConfigMap.class)
                    .create(io.kardia.core.json.Json.fromString("{\"metadata\":{\"name\":\"after-quiet\",\"namespace\":\"default\"}}",
                            io.kardia.core.model.ConfigMap.class));
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("after-quiet")) {
                String l = Response.line(c.in);
                assertThat(l).as("the watch stream ended before the event").isNotNull();
                seen.append(l);
            }
            // The JDK's SSLSocket.close() waits up to the read timeout for the server's answer to its
            // close_notify, which a server busy streaming a watch does not read: do not wait long.
            c.socket.setSoTimeout(1_000);
        }
        store.client().resources(io.kardia.core.model.ConfigMap.class).delete("default", "after-quiet");
    }

    /** The first finding, over the wire: the patch that would nest past the limit is a Status, not a 200. */
    @Test
    void aJsonPatchNestingPastTheLimitIsRefusedWithAStatus() throws Exception {
        String deep = "{\"x\":".repeat(88) + "{}" + "}".repeat(88);
        byte[] cm = ("{\"metadata\":{\"name\":\"deep\"},\"x\":" + deep + "}").getBytes(StandardCharsets.UTF_8);
        String pointer = "/x" + "/x".repeat(87);
        byte[] patch = ("[{\"op\":\"add\",\"path\":\"" + pointer + "/y\",\"value\":" + deep + "}]")
                .getBytes(StandardCharsets.UTF_8);
        try (Connection c = new Connection()) {
            assertThat(c.send("POST", "/api/v1/namespaces/default/configmaps", true,
                    "Content-Type: application/json\r\n", cm).code()).isEqualTo(201);
            Response r = c.send("PATCH", "/api/v1/namespaces/default/configmaps/deep", true,
                    "Content-Type: application/json-patch+json\r\n", patch);
            assertThat(r.code()).isEqualTo(422);
            assertThat(r.body()).contains("\"kind\":\"Status\"").contains("deeper than the limit of 96");
        }
    }
}
