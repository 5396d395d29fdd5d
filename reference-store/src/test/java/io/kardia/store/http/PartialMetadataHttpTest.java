package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceType;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Metadata-only answers (as=PartialObjectMetadata / PartialObjectMetadataList) for gets, lists and watches. */
class PartialMetadataHttpTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static final String CMS = "/api/v1/namespaces/default/configmaps";
    private static final String ONE = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
    private static final String LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory(StoreOptions.defaults().withBookmarkInterval(Duration.ofMillis(100)));
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
        assertThat(http.post(CMS, "{\"metadata\":{\"name\":\"one\",\"labels\":{\"app\":\"a\"}},\"data\":{\"big\":\"payload\"}}")
                .code()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    private static RawHttp.Response get(String target, String accept) throws IOException {
        return http.request("GET", target).header("Accept", accept).send();
    }

    @Test
    void aGetAnswersTheMetadataAlone() throws Exception {
        RawHttp.Response r = get(CMS + "/one", ONE + ",application/json");

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo(ONE);
        JsonNode o = Json.tree(r.body());
        assertThat(o.path("kind").asText()).isEqualTo("PartialObjectMetadata");
        assertThat(o.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1");
        assertThat(o.path("metadata").path("name").asText()).isEqualTo("one");
        assertThat(o.path("metadata").path("labels").path("app").asText()).isEqualTo("a");
        assertThat(o.has("data")).isFalse();
    }

    @Test
    void v1beta1IsServedToo() throws Exception {
        JsonNode l = Json.tree(get(CMS, "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1beta1").body());

        assertThat(l.path("kind").asText()).isEqualTo("PartialObjectMetadataList");
        assertThat(l.path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(l.path("items").get(0).path("apiVersion").asText()).isEqualTo("meta.k8s.io/v1beta1");
    }

    @Test
    void everyServedKindListsAsPartialObjectMetadataList() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (ResourceType<?> t : store.types().served()) {
            String path = (t.group().isEmpty() ? "/api/" : "/apis/" + t.group() + "/") + t.version() + "/" + t.plural();
            RawHttp.Response r = get(path, "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
                    + LIST + ",application/json");
            JsonNode l = r.code() == 200 ? Json.tree(r.body()) : null;
            boolean ok = l != null && l.path("kind").asText().equals("PartialObjectMetadataList")
                    && l.path("metadata").hasNonNull("resourceVersion");
            for (JsonNode item : l == null ? List.<JsonNode>of() : l.path("items")) {
                ok &= item.path("kind").asText().equals("PartialObjectMetadata") && item.size() == 3;
            }
            if (!ok) {
                wrong.add(path + " -> " + r.code() + " " + r.text());
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(store.types().served().size()).isGreaterThan(40);
    }

    @Test
    void theWrongKindForTheRequestIs406() throws Exception {
        RawHttp.Response listAsOne = get(CMS, ONE);
        RawHttp.Response oneAsList = get(CMS + "/one", LIST);

        assertThat(listAsOne.code()).isEqualTo(406);
        assertThat(listAsOne.text()).contains("you requested PartialObjectMetadata, but the requested object is a list");
        assertThat(oneAsList.code()).isEqualTo(406);
        assertThat(oneAsList.text()).contains("you requested PartialObjectMetadataList, but the requested object is not a list");
    }

    @Test
    void watchEventsAndBookmarksArePartialObjectMetadata() throws Exception {
        RawHttp.Response watch = get(CMS + "?watch=1&allowWatchBookmarks=true&sendInitialEvents=true"
                + "&resourceVersionMatch=NotOlderThan&timeoutSeconds=1", ONE);

        List<JsonNode> events = new ArrayList<>();
        for (String line : watch.text().split("\n")) {
            if (!line.isBlank()) {
                events.add(Json.tree(line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        assertThat(events).isNotEmpty().allMatch(e -> e.path("object").path("kind").asText().equals("PartialObjectMetadata"));
        assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
        assertThat(events.get(0).path("object").has("data")).isFalse();
        assertThat(events.get(1).path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(events.get(1).path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end")
                .asText()).isEqualTo("true");
    }
}
