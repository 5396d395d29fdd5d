package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.json.Json;
import io.kardia.kubeapi.protobuf.ProtobufKinds;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoreOptions;
import io.kardia.store.journal.Journal;
import io.kardia.store.journal.JournalRecord;
import io.kardia.store.protobuf.KubeProtobufCodec;
import io.kubernetes.client.proto.V1;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stored object that has no protobuf form (written by an older version, before the value it
 * holds was refused): protobuf lists and watches leave it out, as a JSON client sees every other
 * object, instead of failing the whole kind for every protobuf client.
 */
class ProtobufUnencodableObjectTest {
    private static final String TOKEN = BearerTokenAuthenticator.newToken();
    private static final String PROTOBUF = KubeProtobufCodec.MEDIA_TYPE;
    private static final String PODS = "/api/v1/namespaces/default/pods";
    private static ReferenceStore store;
    private static ApiServer server;
    private static RawHttp http;

    @BeforeAll
    static void start() throws IOException {
        // terminationGracePeriodSeconds is an int64 in the Pod message: a string has no protobuf form
        String legacy = """
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"legacy","namespace":"default","uid":"u-1",
                 "resourceVersion":"1","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "spec":{"terminationGracePeriodSeconds":"thirty","containers":[{"name":"c","image":"nginx"}]}}""";
        String good = """
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"good","namespace":"default","uid":"u-2",
                 "resourceVersion":"2","creationTimestamp":"2025-01-01T00:00:00Z"},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]}}""";
        List<JournalRecord> records = List.of(
                JournalRecord.put(1, "pods", "default/legacy", legacy.getBytes(StandardCharsets.UTF_8)),
                JournalRecord.put(2, "pods", "default/good", good.getBytes(StandardCharsets.UTF_8)));
        store = ReferenceStore.open(StoreOptions.defaults(), new RecordedJournal(records));
        server = ApiServer.start(store, "127.0.0.1", 0, TOKEN, null, ProtobufKinds::builtIn);
        http = new RawHttp("127.0.0.1", server.port(), TOKEN);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    @Test
    void aProtobufListLeavesTheObjectOutAndServesTheRest() throws Exception {
        RawHttp.Response json = http.get(PODS);
        assertThat(json.code()).isEqualTo(200);
        assertThat(Json.tree(json.body()).path("items")).extracting(p -> p.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("legacy", "good");

        RawHttp.Response protobuf = http.request("GET", PODS).header("Accept", PROTOBUF).send();

        assertThat(protobuf.code()).as(protobuf.text()).isEqualTo(200);
        V1.PodList list = V1.PodList.parseFrom(ProtobufHttpTest.unwrap(protobuf.body()).getRaw());
        assertThat(list.getItemsList()).extracting(p -> p.getMetadata().getName()).containsExactly("good");
        assertThat(list.getMetadata().getResourceVersion()).isNotEmpty();
    }

    @Test
    void aProtobufWatchLeavesTheObjectsEventsOutAndGoesOn() throws Exception {
        RawHttp.Response watch = http.request("GET", PODS + "?watch=true&resourceVersion=0&timeoutSeconds=1")
                .header("Accept", PROTOBUF).send();

        assertThat(watch.code()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        InputStream frames = new ByteArrayInputStream(watch.body());
        for (KubeProtobufCodec.WatchFrame f = KubeProtobufCodec.readWatchFrame(frames); f != null;
             f = KubeProtobufCodec.readWatchFrame(frames)) {
            assertThat(f.type()).isEqualTo("ADDED");
            names.add(V1.Pod.parseFrom(ProtobufHttpTest.unwrap(f.object()).getRaw()).getMetadata().getName());
        }
        assertThat(names).containsExactly("good");
    }

    @Test
    void theObjectItselfAsProtobufIsAnErrorThatSaysWhy() throws Exception {
        RawHttp.Response one = http.request("GET", PODS + "/legacy").header("Accept", PROTOBUF).send();

        assertThat(one.code()).isEqualTo(500);
        assertThat(one.text()).contains("terminationGracePeriodSeconds", "application/json");
        assertThat(http.get(PODS + "/legacy").code()).as("JSON still serves it").isEqualTo(200);
    }

    /** A journal that recovers the given records and keeps what is appended in memory. */
    private record RecordedJournal(List<JournalRecord> records) implements Journal {
        @Override
        public long recover(RecoveryVisitor visitor) {
            records.forEach(visitor::accept);
            return records.stream().mapToLong(JournalRecord::revision).max().orElse(0);
        }

        @Override
        public CompletableFuture<Void> append(JournalRecord record) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void snapshot(long revision, Iterable<JournalRecord> liveObjects) {
        }

        @Override
        public void close() {
        }
    }
}
