package io.kardia.core.client.http;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.client.KubeClientException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ListPages;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A LIST the server cuts short (its idle timeout closed a stalled connection, or it failed while
 * writing) is an error for the caller, never a shorter list: an informer that got a short list
 * would delete the objects it did not see from its cache.
 */
class HttpListCutShortTest {
    private static final String HEAD = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMapList\",\"metadata\":{\"resourceVersion\":\"9\"},\"items\":[";

    private final ExecutorService server = Executors.newVirtualThreadPerTaskExecutor();
    private ServerSocket socket;
    private HttpKubeClient client;

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        socket.close();
        server.shutdownNow();
    }

    private static String items(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(MockApi.configMap("ns1", "cm-" + i, Integer.toString(i + 1)));
        }
        return b.toString();
    }

    /** Serves every connection the same raw answer: a head, then {@code body}, then closes the connection. */
    private void serve(String head, byte[] body) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.submit(() -> {
            while (!socket.isClosed()) {
                Socket s = socket.accept();
                server.submit(() -> answer(s, head, body));
            }
            return null;
        });
        client = HttpKubeClient.create(ClientConfig.builder("http://127.0.0.1:" + socket.getLocalPort())
                .bearerToken("t").noRateLimit().build());
    }

    private static Void answer(Socket s, String head, byte[] body) throws IOException {
        try (s) {
            InputStream in = s.getInputStream();
            // the request head ends with an empty line; a GET has no body
            for (int matched = 0; matched < 4; ) {
                int c = in.read();
                if (c < 0) {
                    return null;
                }
                matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
            }
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
        }
        return null;
    }

    @Test
    void aBodyShorterThanItsContentLengthIsATransportError() throws Exception {
        byte[] whole = (HEAD + items(50) + "]}").getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length / 2);
        serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + whole.length + "\r\n\r\n", cut);

        assertThatThrownBy(() -> client.resources(ConfigMap.class).list("ns1"))
                .isInstanceOf(KubeClientException.class)
                .hasMessageContaining("GET http://127.0.0.1:" + socket.getLocalPort() + "/api/v1/namespaces/ns1/configmaps failed");
        try (ListPages<ConfigMap> pages = client.resources(ConfigMap.class).listPages("ns1", ListOptions.all().withLimit(500))) {
            assertThatThrownBy(pages::next).isInstanceOf(KubeClientException.class);
        }
    }

    @Test
    void aChunkedBodyCutWithoutItsLastChunkIsATransportError() throws Exception {
        String items = HEAD + items(50);
        String chunk = Integer.toHexString(items.length()) + "\r\n" + items + "\r\n"; // no terminating 0-length chunk
        serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                chunk.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client.resources(ConfigMap.class).list("ns1"))
                .isInstanceOf(KubeClientException.class)
                .hasMessageContaining("failed");
    }

    /**
     * A server that failed mid-list yet ended its chunked body cleanly: the items array never
     * closes, whether the cut falls inside an item or right after a whole one.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {",{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-", ""})
    void aWellFramedBodyWhoseItemsNeverCloseIsRefusedNotReadAsAShorterList(String rest) throws Exception {
        String items = HEAD + items(50) + rest;
        String body = Integer.toHexString(items.length()) + "\r\n" + items + "\r\n0\r\n\r\n";
        serve("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
                body.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client.resources(ConfigMap.class).list("ns1"))
                .isInstanceOf(KubeClientException.class)
                .hasMessageContaining("is not valid JSON");
    }
}
