package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.ConfigMap;
import io.kardia.store.ReferenceStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests whose framing is broken, sent as raw bytes over a socket (plain HTTP: Jetty parses TLS
 * connections' plaintext the same way; HttpHardeningTest covers TLS). Each gets a Kubernetes
 * Status (400, or 505 for an HTTP version Jetty does not speak, 431 for an oversized head), its
 * connection is closed, nothing is stored, no answer names a Java class, and the server goes on
 * serving other connections. Most are refused by Jetty's parser before any handler runs
 * ({@code io.kardia.http.StatusErrorHandler} words the answer), the body's framing when a handler reads it.
 */
@Timeout(120)
class MalformedRequestTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static final String POST = "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n";
    /** A ConfigMap the store would accept: were any of these requests served, it would be stored. */
    private static final String BODY = "{\"metadata\":{\"name\":\"x\"}}";
    private static final String CHUNK = Integer.toHexString(BODY.length()) + "\r\n" + BODY + "\r\n0\r\n\r\n";

    private static ReferenceStore store;
    private static ApiServer server;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    static Stream<Arguments> refusedWithAStatus() {
        String chunked = POST + "Transfer-Encoding: chunked\r\n\r\n";
        String length = "Content-Length: " + BODY.length() + "\r\n";
        return Stream.of(
                // Content-Length: what the JDK answered with "NumberFormatException thrown" is a Status now
                Arguments.of("a Content-Length that is no number", POST + "Content-Length: abc\r\n\r\n" + BODY,
                        400, "Invalid Content-Length Value"),
                Arguments.of("a Content-Length of two numbers", POST + "Content-Length: 5 5\r\n\r\n" + BODY,
                        400, "Invalid Content-Length Value"),
                Arguments.of("a Content-Length past 2^63-1", POST + "Content-Length: 99999999999999999999\r\n\r\n" + BODY,
                        400, "malformed"),
                Arguments.of("a signed Content-Length", POST + "Content-Length: +27\r\n\r\n" + BODY, 400, "Invalid Content-Length Value"),
                Arguments.of("a Content-Length of -0", POST + "Content-Length: -0\r\n\r\n", 400, "Invalid Content-Length Value"),
                Arguments.of("a negative Content-Length", POST + "Content-Length: -1\r\n\r\n" + BODY, 400, "Invalid Content-Length Value"),
                Arguments.of("two Content-Lengths", POST + length + length + "\r\n" + BODY, 400, "Content-Length"),
                Arguments.of("Content-Length and Transfer-Encoding", POST + length + "Transfer-Encoding: chunked\r\n\r\n" + CHUNK,
                        400, "Transfer-Encoding"),
                Arguments.of("Transfer-Encoding gzip", POST + "Transfer-Encoding: gzip\r\n\r\n" + BODY, 400, "Bad Transfer-Encoding"),
                // the body's framing, found while the handler reads it
                Arguments.of("a chunk-size line past 2 KiB", chunked + "1".repeat(5000) + "\r\n",
                        400, "the request body could not be read"),
                Arguments.of("a chunk size that is not hex", chunked + "zz\r\n" + BODY + "\r\n0\r\n\r\n",
                        400, "the request body could not be read"),
                Arguments.of("a chunk without its CRLF", chunked + Integer.toHexString(BODY.length()) + "\r\n" + BODY + "XX0\r\n\r\n",
                        400, "the request body could not be read"),
                // the request line
                Arguments.of("a method that is not a token", "G@T /version HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Illegal character"),
                Arguments.of("an unknown HTTP version", "GET /version FOO/9\r\nHost: x\r\n\r\n", 505, "Unknown Version"),
                Arguments.of("a request line without a target", "GARBAGE\r\n\r\n", 400, "No URI"),
                Arguments.of("a request line without a version", "GET /version\r\n\r\n", 505, "HTTP/0.9 not supported"),
                // targets java.net.URI refuses: the JDK answered "URISyntaxException thrown"
                Arguments.of("a bad percent-encoding in the target", "GET /api/v1/namespaces/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                        400, "malformed"),
                Arguments.of("a bad percent-encoding in a POST's target",
                        "POST /api/v1/namespaces/%zz/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN
                                + "\r\nContent-Type: application/json\r\n" + length + "\r\n" + BODY, 400, "malformed"),
                Arguments.of("a | in the target", "GET /a|b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Illegal Path Character"),
                Arguments.of("a space in the target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Illegal character"),
                Arguments.of("a NUL byte in the target", "GET /a\u0000b HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Illegal character"),
                Arguments.of("an asterisk target", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400, "Bad URI"),
                // headers
                Arguments.of("a header name with a space", "GET /version HTTP/1.1\r\nHo st: x\r\n\r\n", 400, "Illegal character"),
                Arguments.of("a header line without a colon", "GET /version HTTP/1.1\r\nHost x\r\n\r\n", 400, "Bad Request"),
                Arguments.of("a control character in a header name", "GET /version HTTP/1.1\r\nX\u0001: y\r\n\r\n", 400, "Illegal character"),
                Arguments.of("a request head past 1 MiB", "GET /version HTTP/1.1\r\nHost: x\r\nX: " + "y".repeat(1_100_000) + "\r\n\r\n",
                        431, "Request Header Fields Too Large"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusedWithAStatus(String what, String request, int code, String message) throws IOException {
        Answer a = send(request);
        assertThat(a.head()).as(what).startsWith("HTTP/1.1 " + code + " ");
        assertThat(a.head().toLowerCase(Locale.ROOT)).as(what).contains("connection: close").contains("content-type: application/json");
        assertThat(a.body()).as(what).contains("\"kind\":\"Status\"").contains("\"code\":" + code).contains(message);
        assertNamesNoJavaClass(what, a);
        assertThat(a.closed()).as("%s: connection closed after the answer", what).isTrue();
        assertThat(store.client().resources(ConfigMap.class).list("default").items()).as("%s: nothing stored", what).isEmpty();
        assertServerStillAnswers();
    }

    /** The same body, well framed, is stored: the cases above are refused for their framing, not their content. */
    @Test
    void theSameBodyWellFramedIsStored() throws IOException {
        try {
            Answer chunked = send(POST.replace("configmaps HTTP", "configmaps?dryRun=All HTTP")
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + CHUNK);
            assertThat(chunked.head()).startsWith("HTTP/1.1 201 ");
            Answer a = send(POST + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY);
            assertThat(a.head()).startsWith("HTTP/1.1 201 ");
        } finally {
            store.client().resources(ConfigMap.class).delete("default", "x");
        }
    }

    private static void assertNamesNoJavaClass(String what, Answer a) {
        assertThat(a.head() + a.body()).as(what)
                .doesNotContainPattern("(java|javax|sun|com\\.sun|io\\.kardia)\\.[a-z]")
                .doesNotContain("Exception");
    }

    private static void assertServerStillAnswers() throws IOException {
        Answer ok = send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(ok.head()).startsWith("HTTP/1.1 200 ");
    }

    /** The answer's head and body, and whether the server then closed the connection. */
    record Answer(String head, String body, boolean closed) {
    }

    private static Answer send(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(60_000); // a server that waits instead of answering fails the test
            try {
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
            } catch (SocketException e) {
                return new Answer("", "", true); // the server closed while we were still sending
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed;
            try {
                String head = readHead(in, got);
                int length = contentLength(head);
                byte[] body = length > 0 ? in.readNBytes(length) : new byte[0];
                closed = in.read() < 0;
                return new Answer(head, new String(body, StandardCharsets.UTF_8), closed);
            } catch (SocketException e) {
                // reset: the server closed with our unread bytes in its buffer
                return new Answer(got.toString(StandardCharsets.ISO_8859_1), "", true);
            }
        }
    }

    private static String readHead(InputStream in, ByteArrayOutputStream got) throws IOException {
        for (int c = in.read(); c >= 0; c = in.read()) {
            got.write(c);
            String s = got.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }
}
