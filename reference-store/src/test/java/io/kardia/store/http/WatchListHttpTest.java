package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Streaming lists over HTTP as JSON lines, and the 422s for what kube-apiserver refuses. */
class WatchListHttpTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static final String PODS = "/api/v1/namespaces/default/configmaps";
    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withBookmarkInterval(Duration.ofMillis(100)));
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
        assertThat(http.post(PODS, "{\"metadata\":{\"name\":\"one\"},\"data\":{\"k\":\"v\"}}").code()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    private static List<JsonNode> lines(RawHttp.Response r) {
        List<JsonNode> events = new ArrayList<>();
        for (String line : r.text().split("\n")) {
            if (!line.isBlank()) {
                events.add(Json.tree(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return events;
    }

    @Test
    void theStateThenTheEndBookmarkAsJsonLines() throws Exception {
        long revision = store.currentRevision();
        RawHttp.Response watch = http.get(PODS + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                + "&allowWatchBookmarks=true&timeoutSeconds=1");

        assertThat(watch.code()).isEqualTo(200);
        List<JsonNode> events = lines(watch);
        assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
        assertThat(events.get(0).path("object").path("metadata").path("name").asText()).isEqualTo("one");
        JsonNode end = events.get(1);
        assertThat(end.path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(end.path("object").path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(end.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
                .isEqualTo("true");
        assertThat(end.path("object").path("metadata").path("resourceVersion").asText()).isEqualTo(Long.toString(revision));
    }

    @Test
    void withoutBookmarksItIsAn422() throws Exception {
        RawHttp.Response refused = http.get(PODS + "?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");

        assertThat(refused.code()).isEqualTo(422);
        JsonNode status = Json.tree(refused.body());
        assertThat(status.path("reason").asText()).isEqualTo("Invalid");
        assertThat(status.path("message").asText()).isEqualTo("ListOptions.meta.k8s.io \"\" is invalid: allowWatchBookmarks: "
                + "Forbidden: sendInitialEvents requires setting allowWatchBookmarks to true");
    }

    @Test
    void aListWithSendInitialEventsIsAn422() throws Exception {
        RawHttp.Response refused = http.get(PODS + "?sendInitialEvents=true");

        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.text()).contains("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
    }

    @Test
    void aBadBooleanIsAn400() throws Exception {
        RawHttp.Response refused = http.get(PODS + "?watch=1&sendInitialEvents=maybe&resourceVersionMatch=NotOlderThan"
                + "&allowWatchBookmarks=true");

        assertThat(refused.code()).isEqualTo(400);
        assertThat(refused.text()).contains("sendInitialEvents: Invalid value: \\\"maybe\\\"");
    }
}
