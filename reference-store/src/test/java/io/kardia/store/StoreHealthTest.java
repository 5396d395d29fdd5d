package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.store.http.ApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A store that stopped writing (a journal failure such as a full disk) says so, and why, on its health probes. */
@org.junit.jupiter.api.Timeout(60)
class StoreHealthTest {

    private static ObjectNode configMap(String name) {
        return (ObjectNode) Json.tree(("{\"metadata\":{\"name\":\"" + name + "\"}}").getBytes());
    }

    @Test
    void afterADiskFullFailureWritesNameEnospcAndHealthzAndReadyzAnswer500() throws Exception {
        ControllableJournal journal = new ControllableJournal();
        try (ReferenceStore store = ReferenceStore.open(StoreOptions.defaults().withCompactionInterval(Duration.ZERO),
                journal);
             ApiServer server = ApiServer.start(store, "127.0.0.1", 0, "health-test-token-0123456789", null);
             HttpClient http = HttpClient.newHttpClient()) {
            assertThat(store.unhealthyReason()).isNull();
            assertThat(probe(http, server, "/healthz").statusCode()).isEqualTo(200);

            journal.failAppends = new UncheckedIOException(new IOException("No space left on device"));
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", configMap("a"), WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(500);
                        assertThat(e.getMessage()).contains("ENOSPC").contains("no space left on device")
                                .doesNotContain("java.");
                    });
            assertThatThrownBy(() -> store.create(CONFIGMAPS, "default", configMap("b"), WriteOptions.DEFAULT))
                    .isInstanceOfSatisfying(KubeApiException.class, e -> {
                        assertThat(e.code()).isEqualTo(503);
                        assertThat(e.getMessage()).contains("ENOSPC");
                    });
            assertThat(store.unhealthyReason()).contains("ENOSPC");
            for (String path : new String[] {"/healthz", "/readyz"}) {
                HttpResponse<String> r = probe(http, server, path);
                assertThat(r.statusCode()).as(path).isEqualTo(500);
                assertThat(r.body()).as(path).contains("no space left on device").contains("check failed");
            }
            assertThat(probe(http, server, "/livez").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> probe(HttpClient http, ApiServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
