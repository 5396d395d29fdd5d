package io.kardia.core.client.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.config.ClientConfig;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import io.kardia.kubeapi.KubeApiCatalog;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The HTTP client asks for protobuf for built-in kinds ({@code Accept: application/vnd.kubernetes.protobuf,
 * application/json}, as client-go's typed clients) and reads whatever the server chose by its
 * Content-Type: protobuf objects, lists, watch streams and Status errors, or JSON. Custom resources
 * and a client configured without protobuf ask for JSON only. The bodies here are built from the
 * release's descriptors, as kube-apiserver writes them.
 */
class HttpProtobufTest extends MockApiTest {
    private static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
    private static final String BOTH = PROTOBUF + ", application/json";
    private static final ResourceType<GenericObject> WIDGETS = ResourceType.generic("example.com", "v1", "Widget", "widgets", true);

    @Override
    ClientConfig.Builder config() {
        return ClientConfig.builder(server.url("/").toString()).bearerToken("t").noRateLimit().protobuf(true);
    }

    @Test
    void aBuiltInKindIsReadFromProtobuf() throws Exception {
        server.enqueue(protobuf(PROTOBUF, envelope("v1", "ConfigMap", configMap("c1", "7", "k", "v"))));

        ConfigMap cm = client.resources(ConfigMap.class).get("ns1", "c1");

        assertThat(cm.metadata().name()).isEqualTo("c1");
        assertThat(cm.metadata().namespace()).isEqualTo("ns1");
        assertThat(cm.metadata().resourceVersion()).isEqualTo("7");
        assertThat(cm.data()).containsEntry("k", "v");
        assertThat(take().getHeaders().get("Accept")).isEqualTo(BOTH);
    }

    @Test
    void aProtobufListIsReadItemByItemWithItsMetadata() throws Exception {
        Descriptor list = message("k8s.io.api.core.v1.PodList");
        Message meta = DynamicMessage.newBuilder(message("k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta"))
                .setField(field("k8s.io.apimachinery.pkg.apis.meta.v1.ListMeta", "resourceVersion"), "12").build();
        DynamicMessage.Builder pods = DynamicMessage.newBuilder(list).setField(list.findFieldByName("metadata"), meta);
        for (String name : List.of("a", "b")) {
            pods.addRepeatedField(list.findFieldByName("items"), pod(name));
        }
        server.enqueue(protobuf(PROTOBUF, envelope("v1", "PodList", pods.build())));

        ObjectList<Pod> listed = client.resources(Pod.class).list("ns1", null);

        assertThat(listed.resourceVersion()).isEqualTo("12");
        assertThat(listed.items()).extracting(p -> p.metadata().name()).containsExactly("a", "b");
        assertThat(listed.items().get(0).kind()).isEqualTo("Pod");
        assertThat(listed.items().get(0).spec().containers().get(0).image()).isEqualTo("nginx:1.27");
        assertThat(take().getHeaders().get("Accept")).isEqualTo(BOTH);
    }

    @Test
    void aProtobufWatchStreamIsReadEventByEvent() throws Exception {
        Buffer frames = new Buffer();
        frames.write(frame("ADDED", envelope("v1", "ConfigMap", configMap("c1", "7", "k", "v"))));
        frames.write(frame("MODIFIED", envelope("v1", "ConfigMap", configMap("c1", "8", "k", "w"))));
        frames.write(frame("ERROR", envelope("v1", "Status", status(410, "Expired", "too old resource version"))));
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", PROTOBUF + ";stream=watch")
                .body(frames).build());

        List<WatchEvent<ConfigMap>> events = new ArrayList<>();
        try (Watch<ConfigMap> watch = client.resources(ConfigMap.class).watch("ns1", WatchOptions.from("5"))) {
            for (WatchEvent<ConfigMap> e = watch.next(); e != null; e = watch.next()) {
                events.add(e);
            }
        }

        assertThat(events).extracting(WatchEvent::type)
                .containsExactly(WatchEvent.Type.ADDED, WatchEvent.Type.MODIFIED, WatchEvent.Type.ERROR);
        assertThat(events.get(1).object().data()).containsEntry("k", "w");
        assertThat(events.get(2).status().code()).isEqualTo(410);
        assertThat(events.get(2).status().reason()).isEqualTo("Expired");
        assertThat(take().getHeaders().get("Accept")).isEqualTo(BOTH);
    }

    @Test
    void aMalformedProtobufWatchFrameEndsTheWatchWithAnErrorEvent() throws Exception {
        Buffer frames = new Buffer();
        frames.write(frame("ADDED", envelope("v1", "ConfigMap", configMap("c1", "7", "k", "v"))));
        frames.write(new byte[] {0, 0, 0, 9, 1, 2}); // declares 9 bytes, has 2
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", PROTOBUF + ";stream=watch")
                .body(frames).build());

        try (Watch<ConfigMap> watch = client.resources(ConfigMap.class).watch("ns1", WatchOptions.from("5"))) {
            assertThat(watch.next().type()).isEqualTo(WatchEvent.Type.ADDED);
            WatchEvent<ConfigMap> error = watch.next();
            assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
            assertThat(error.status().message()).contains("malformed watch event stream", "ended inside a frame");
            assertThat(watch.next()).isNull();
        }
    }

    /** A streaming list's initial frames are decoded ahead on several threads and come out in order; a bad frame still ends it. */
    @Test
    void aProtobufStreamingListIsDecodedAheadInOrderAndABadFrameStillEndsIt() throws Exception {
        int count = 300;
        Buffer frames = new Buffer();
        for (int i = 0; i < count; i++) {
            frames.write(frame("ADDED", envelope("v1", "ConfigMap", configMap("c" + i, Integer.toString(i + 1), "k", "v" + i))));
        }
        frames.write(frame("BOOKMARK", envelope("v1", "ConfigMap", configMap("", Integer.toString(count), "k", "v"))));
        frames.write(frame("MODIFIED", envelope("v1", "ConfigMap", configMap("c0", Integer.toString(count + 1), "k", "w"))));
        frames.write(new byte[] {0, 0, 0, 9, 1, 2}); // declares 9 bytes, has 2
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", PROTOBUF + ";stream=watch")
                .body(frames).build());

        List<WatchEvent<ConfigMap>> events = new ArrayList<>();
        try (Watch<ConfigMap> watch = client.resources(ConfigMap.class).watch("ns1", WatchOptions.streamingList(null))) {
            for (WatchEvent<ConfigMap> e = watch.next(); e != null; e = watch.next()) {
                events.add(e);
            }
        }

        assertThat(events).hasSize(count + 3);
        for (int i = 0; i < count; i++) {
            assertThat(events.get(i).type()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(events.get(i).object().metadata().name()).isEqualTo("c" + i);
            assertThat(events.get(i).object().data()).containsEntry("k", "v" + i);
        }
        assertThat(events.get(count).type()).isEqualTo(WatchEvent.Type.BOOKMARK);
        assertThat(events.get(count + 1).object().data()).containsEntry("k", "w");
        assertThat(events.get(count + 2).status().message()).contains("malformed watch event stream", "ended inside a frame");
    }

    /** A frame that is not a WatchEvent among the initial ones ends the watch with an ERROR event, after the good ones. */
    @Test
    void aMalformedInitialProtobufFrameEndsTheWatchWithAnErrorEvent() throws Exception {
        Buffer frames = new Buffer();
        frames.write(frame("ADDED", envelope("v1", "ConfigMap", configMap("c1", "7", "k", "v"))));
        frames.write(frame("ADDED", new byte[] {1, 2, 3})); // an object that is no enveloped object
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", PROTOBUF + ";stream=watch")
                .body(frames).build());

        try (Watch<ConfigMap> watch = client.resources(ConfigMap.class).watch("ns1", WatchOptions.streamingList(null))) {
            assertThat(watch.next().object().metadata().name()).isEqualTo("c1");
            WatchEvent<ConfigMap> error = watch.next();
            assertThat(error.type()).isEqualTo(WatchEvent.Type.ERROR);
            assertThat(error.status().message()).contains("malformed watch event stream", "does not appear to be a protobuf message");
            assertThat(watch.next()).isNull();
        }
    }

    @Test
    void aProtobufStatusErrorIsTheTypedApiError() {
        server.enqueue(new MockResponse.Builder().code(404).addHeader("Content-Type", PROTOBUF)
                .body(new Buffer().write(envelope("v1", "Status", status(404, "NotFound", "configmaps \"c9\" not found")))).build());

        assertThatThrownBy(() -> client.resources(ConfigMap.class).get("ns1", "c9"))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.status().reason()).isEqualTo("NotFound");
                    assertThat(e.status().message()).isEqualTo("configmaps \"c9\" not found");
                });
    }

    @Test
    void anUnreadableProtobufAnswerIsAClearClientError() {
        server.enqueue(protobuf(PROTOBUF, new byte[] {'{', '}'}));

        assertThatThrownBy(() -> client.resources(ConfigMap.class).get("ns1", "c1"))
                .hasMessageContaining("protobuf ConfigMap answer is unreadable")
                .hasMessageContaining("expected prefix [107, 56, 115, 0]");
    }

    @Test
    void customResourcesAndAJsonOnlyClientAskForJson() throws Exception {
        server.enqueue(MockApi.ok("{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"ns1\"}}"));
        client.resources(WIDGETS).get("ns1", "w");
        assertThat(take().getHeaders().get("Accept")).isEqualTo("application/json");

        try (HttpKubeClient jsonOnly = HttpKubeClient.create(config().protobuf(false).build())) {
            server.enqueue(MockApi.ok(MockApi.configMap("ns1", "c1", "7")));
            assertThat(jsonOnly.resources(ResourceTypes.of(ConfigMap.class)).get("ns1", "c1").metadata().resourceVersion())
                    .isEqualTo("7");
            assertThat(take().getHeaders().get("Accept")).isEqualTo("application/json");
        }
    }

    // ------------------------------------------------------------------ protobuf as kube-apiserver writes it

    private static Descriptor message(String name) {
        return KubeApiCatalog.message(name).orElseThrow();
    }

    private static com.google.protobuf.Descriptors.FieldDescriptor field(String message, String name) {
        return message(message).findFieldByName(name);
    }

    private static Message objectMeta(String name, String rv) {
        String meta = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
        return DynamicMessage.newBuilder(message(meta)).setField(field(meta, "name"), name)
                .setField(field(meta, "namespace"), "ns1").setField(field(meta, "resourceVersion"), rv).build();
    }

    private static Message configMap(String name, String rv, String key, String value) {
        Descriptor cm = message("k8s.io.api.core.v1.ConfigMap");
        Descriptor entry = cm.findFieldByName("data").getMessageType();
        Message data = DynamicMessage.newBuilder(entry).setField(entry.findFieldByNumber(1), key)
                .setField(entry.findFieldByNumber(2), value).build();
        return DynamicMessage.newBuilder(cm).setField(cm.findFieldByName("metadata"), objectMeta(name, rv))
                .addRepeatedField(cm.findFieldByName("data"), data).build();
    }

    private static Message pod(String name) {
        Descriptor pod = message("k8s.io.api.core.v1.Pod");
        Descriptor spec = message("k8s.io.api.core.v1.PodSpec");
        Descriptor container = message("k8s.io.api.core.v1.Container");
        Message c = DynamicMessage.newBuilder(container).setField(container.findFieldByName("name"), "web")
                .setField(container.findFieldByName("image"), "nginx:1.27").build();
        Message s = DynamicMessage.newBuilder(spec).addRepeatedField(spec.findFieldByName("containers"), c).build();
        return DynamicMessage.newBuilder(pod).setField(pod.findFieldByName("metadata"), objectMeta(name, "3"))
                .setField(pod.findFieldByName("spec"), s).build();
    }

    private static Message status(int code, String reason, String text) {
        String st = "k8s.io.apimachinery.pkg.apis.meta.v1.Status";
        return DynamicMessage.newBuilder(message(st)).setField(field(st, "status"), "Failure")
                .setField(field(st, "message"), text).setField(field(st, "reason"), reason)
                .setField(field(st, "code"), code).build();
    }

    /** {@code k8s\0} and a runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
    private static byte[] envelope(String apiVersion, String kind, Message raw) {
        try {
            ByteArrayOutputStream typeMeta = new ByteArrayOutputStream();
            CodedOutputStream t = CodedOutputStream.newInstance(typeMeta);
            t.writeString(1, apiVersion);
            t.writeString(2, kind);
            t.flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {0x6b, 0x38, 0x73, 0x00});
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeByteArray(1, typeMeta.toByteArray());
            o.writeByteArray(2, raw.toByteArray());
            o.flush();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A 4-byte big-endian length, then WatchEvent{type, object: RawExtension{raw: enveloped object}}. */
    private static byte[] frame(String type, byte[] object) {
        try {
            ByteArrayOutputStream rawExtension = new ByteArrayOutputStream();
            CodedOutputStream r = CodedOutputStream.newInstance(rawExtension);
            r.writeByteArray(1, object);
            r.flush();
            ByteArrayOutputStream event = new ByteArrayOutputStream();
            CodedOutputStream e = CodedOutputStream.newInstance(event);
            e.writeString(1, type);
            e.writeByteArray(2, rawExtension.toByteArray());
            e.flush();
            byte[] body = event.toByteArray();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length});
            out.write(body);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MockResponse protobuf(String contentType, byte[] body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", contentType).body(new Buffer().write(body)).build();
    }
}
