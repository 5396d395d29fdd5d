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
 * Requests whose framing is broken, sent as raw bytes over a socket (plain HTTP: the JDK server
 * parses TLS connections' plaintext the same way; HttpHardeningTest covers TLS). Each gets a 400
 * and its connection is closed; none names a Java class, except the two pages the JDK writes
 * itself before any handler runs (see docs/http-server.md, Known limits).
 */
@Timeout(120)
class MalformedRequestTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static final String POST = "POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\n"
            + "Authorization: Bearer " + TOKEN + "\r\nContent-Type: application/json\r\n";

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
        return Stream.of(
                Arguments.of("a signed Content-Length", POST + "Content-Length: +2\r\n\r\n{}", "invalid Content-Length header"),
                Arguments.of("a Content-Length of -0", POST + "Content-Length: -0\r\n\r\n", "invalid Content-Length header"),
                Arguments.of("a chunk-size line past 2 KiB", chunked + "1".repeat(5000) + "\r\n", "invalid chunk header"),
                Arguments.of("a chunk extension past 2 KiB", chunked + "2;" + "x".repeat(3000) + "\r\n{}\r\n0\r\n\r\n",
                        "invalid chunk header"),
                Arguments.of("a chunk size that is not hex", chunked + "zz\r\n{}\r\n0\r\n\r\n", "invalid chunk length"),
                Arguments.of("a chunk size past 2^31", chunked + "80000000\r\n{}\r\n0\r\n\r\n", "invalid chunk length"),
                Arguments.of("a chunk size of 11 hex digits", chunked + "fffffffffff\r\n{}\r\n0\r\n\r\n", "invalid chunk length"),
                Arguments.of("a chunk without its CRLF", chunked + "2\r\n{}XX0\r\n\r\n", "invalid chunk end"),
                Arguments.of("a method that is not a token", "G@T /version HTTP/1.1\r\nHost: x\r\n\r\n", "invalid method \\\"G@T\\\""),
                Arguments.of("an unknown HTTP version", "GET /version FOO/9\r\nHost: x\r\n\r\n",
                        "malformed HTTP version \\\"FOO/9\\\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusedWithAStatus(String what, String request, String message) throws IOException {
        Answer a = send(request);
        assertThat(a.head()).as(what).startsWith("HTTP/1.1 400 ");
        assertThat(a.head().toLowerCase(Locale.ROOT)).as(what).contains("connection: close");
        assertThat(a.body()).as(what).contains("\"kind\":\"Status\"").contains("\"code\":400").contains(message);
        assertNamesNoJavaClass(what, a);
        assertThat(a.closed()).as("%s: connection closed after the answer", what).isTrue();
        assertServerStillAnswers();
    }

    static Stream<Arguments> refusedByTheJdk() {
        return Stream.of(
                Arguments.of("a negative Content-Length", POST + "Content-Length: -1\r\n\r\n{}", 400),
                Arguments.of("two Content-Lengths", POST + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 400),
                Arguments.of("Content-Length and Transfer-Encoding",
                        POST + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}", 400),
                Arguments.of("Transfer-Encoding gzip", POST + "Transfer-Encoding: gzip\r\n\r\n{}", 501),
                Arguments.of("a request line without a target", "GARBAGE\r\n\r\n", 400),
                Arguments.of("a request line without a version", "GET /version\r\n\r\n", 400),
                Arguments.of("a header name with a space", "GET /version HTTP/1.1\r\nHo st: x\r\n\r\n", 400),
                Arguments.of("a header line without a colon", "GET /version HTTP/1.1\r\nHost x\r\n\r\n", 400),
                Arguments.of("a control character in a header name", "GET /version HTTP/1.1\r\nX\u0001: y\r\n\r\n", 400));
    }

    /** The JDK answers these before any handler runs: a plain page, not a Status, but worded without class names. */
    @ParameterizedTest(name = "{0}")
    @MethodSource
    void refusedByTheJdk(String what, String request, int code) throws IOException {
        Answer a = send(request);
        assertThat(a.head()).as(what).startsWith("HTTP/1.1 " + code + " ");
        assertThat(a.head().toLowerCase(Locale.ROOT)).as(what).contains("connection: close");
        assertNamesNoJavaClass(what, a);
        assertThat(a.closed()).as("%s: connection closed after the answer", what).isTrue();
        assertServerStillAnswers();
    }

    /**
     * The two pages the JDK words with a class name (ServerImpl.Exchange#run rejects them before
     * filters or handlers exist): still a 400 that closes the connection, nothing reaches the
     * store. Should a JDK word them otherwise, move them to the cases above and update the docs.
     */
    @Test
    void aNonNumericContentLengthOrAnUnparsableTargetIsRefusedByTheJdkBeforeAnyHandler() throws IOException {
        for (String request : new String[] {
            POST + "Content-Length: abc\r\n\r\n{}",
            POST + "Content-Length: 99999999999999999999\r\n\r\n{}",
            "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /a|b HTTP/1.1\r\nHost: x\r\n\r\n",
        }) {
            Answer a = send(request);
            assertThat(a.head()).as(request).startsWith("HTTP/1.1 400 ");
            assertThat(a.closed()).as(request).isTrue();
        }
        assertThat(store.client().resources(ConfigMap.class).list("default").items()).isEmpty();
        assertServerStillAnswers();
    }

    /** A request head past the JDK's limits (380 KiB, 200 header lines) is dropped without an answer, never waited on. */
    @Test
    void anOversizedRequestHeadIsDroppedNotWaitedOn() throws IOException {
        for (String request : new String[] {
            "GET /version HTTP/1.1\r\nX: " + "y".repeat(400_000) + "\r\n\r\n",
            "GET /" + "a".repeat(400_000) + " HTTP/1.1\r\n\r\n",
        }) {
            Answer a = send(request);
            assertThat(a.head()).isEmpty();
            assertThat(a.closed()).isTrue();
        }
        assertServerStillAnswers();
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
