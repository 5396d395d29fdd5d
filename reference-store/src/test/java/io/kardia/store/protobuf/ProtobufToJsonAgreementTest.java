package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufKinds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.concat;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.field;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.mapEntry;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.message;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.string;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.tag;
import static io.kardia.store.protobuf.ProtobufJsonReaderTest.varint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Message;
import io.kardia.core.json.Json;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.protobuf.ProtobufFormatException;
import io.kardia.kubeapi.protobuf.ProtobufToJson;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import com.google.protobuf.WireFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client's streaming protobuf reader (kube-api's {@link ProtobufToJson}) reads every built-in
 * kind to the same JSON as the store's converter: for a message of each kind with every field set
 * (built by the official generated classes), for realistic objects, for watch streams, and for
 * the unusual and malformed wire forms other encoders may send.
 */
class ProtobufToJsonAgreementTest {
    private final KubeProtobufCodec codec = new KubeProtobufCodec(ProtobufKinds.builtIn());
    private final ProtobufToJson reader = ProtobufToJson.builtIn();

    static Stream<Descriptor> kinds() {
        return OfficialProtos.topLevelKinds(KubeApiCatalog.descriptors()).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void everyKindWithEveryFieldReadsAsTheStoreReadsIt(Descriptor kind) throws Exception {
        Descriptor generated = OfficialProtos.generated(kind.getFullName());
        Message original = new ProtobufRoundTripTest.Filler().fill(OfficialProtos.newBuilder(generated), new ArrayList<>()).build();
        String apiVersion = ProtobufKinds.apiVersionOfPackage(kind.getFile().getPackage());
        byte[] body = ProtobufRoundTripTest.envelope(apiVersion, kind.getName(), original.toByteString());

        JsonNode streamed = Json.tree(reader.toJson(body));

        assertThat(streamed).isEqualTo(reparsed(codec.decode(body, apiVersion, kind.getName())));
        assertThat(Json.tree(reader.toJson(body)).properties().iterator().next().getKey()).isEqualTo("kind");
    }

    @Test
    void realisticPodAndItsListAsJson() {
        ObjectNode pod = json("""
                {"kind":"Pod","apiVersion":"v1",
                 "metadata":{"name":"web-0","namespace":"shop","uid":"3c5e","resourceVersion":"42","generation":1,
                  "creationTimestamp":"2025-03-01T10:00:00Z","labels":{"app":"web","tier":""},
                  "ownerReferences":[{"apiVersion":"apps/v1","kind":"StatefulSet","name":"web","uid":"9a","controller":true}],
                  "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"v1","time":"2025-03-01T10:00:00Z",
                    "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:app":{}}}}}]},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80,"protocol":"TCP"}],
                   "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"0"}},
                   "livenessProbe":{"httpGet":{"path":"/healthz","port":"http","scheme":"HTTP"},"periodSeconds":10},
                   "readinessProbe":{"tcpSocket":{"port":8080}}}],
                  "nodeSelector":{"disk":"ssd"},"terminationGracePeriodSeconds":30,"enableServiceLinks":false},
                 "status":{"phase":"Running","podIP":"10.0.0.7","conditions":[{"type":"Ready","status":"True",
                   "lastTransitionTime":"2025-03-01T10:00:05Z"}]}}
                """);
        byte[] body = codec.encode(pod);
        assertThat(Json.tree(reader.toJson(body))).isEqualTo(reparsed(codec.decode(body, "v1", "Pod")));
        assertThat(Json.tree(reader.toJson(body)).path("spec").path("containers").get(0).path("livenessProbe")
                .path("httpGet").path("port").asText()).isEqualTo("http");

        byte[] list = codec.encodeList("v1", "PodList", json("{\"resourceVersion\":\"43\",\"continue\":\"abc\"}"),
                List.of(pod, pod));
        JsonNode json = Json.tree(reader.toJson(list));
        assertThat(json.path("kind").asText()).isEqualTo("PodList");
        assertThat(json.path("metadata").path("resourceVersion").asText()).isEqualTo("43");
        assertThat(json.path("metadata").path("continue").asText()).isEqualTo("abc");
        assertThat(json.path("items")).hasSize(2);
        assertThat(json.path("items").get(1)).isEqualTo(reparsed(codec.decode(codec.encode(pod), "v1", "Pod").without(List.of("kind", "apiVersion"))));
    }

    @Test
    void aWatchStreamReadsAsNewlineDelimitedJsonEvents() throws Exception {
        ObjectNode cm = json("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"c","namespace":"d","resourceVersion":"7"},
                 "data":{"a":"1"}}""");
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        KubeProtobufCodec.writeWatchFrame(frames, "ADDED", codec.encode(cm));
        KubeProtobufCodec.writeWatchFrame(frames, "BOOKMARK", codec.encode(json("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"9",
                 "annotations":{"k8s.io/initial-events-end":"true"}}}""")));
        KubeProtobufCodec.writeWatchFrame(frames, "ERROR", codec.encode(json("""
                {"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old","reason":"Expired","code":410}""")));

        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(
                reader.watchAsJson(new ByteArrayInputStream(frames.toByteArray())), StandardCharsets.UTF_8))) {
            lines.lines().forEach(l -> events.add(json(l)));
        }

        assertThat(events).hasSize(3);
        assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
        assertThat(events.get(0).path("object")).isEqualTo(cm);
        assertThat(events.get(1).path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asText())
                .isEqualTo("true");
        assertThat(events.get(2).path("object").path("kind").asText()).isEqualTo("Status");
        assertThat(events.get(2).path("object").path("code").asInt()).isEqualTo(410);
    }

    /**
     * An HTTP body's stream blocks when asked for more than it has (or for 0 bytes once it has
     * nothing buffered): the last frame before a pause must be readable without another read.
     */
    @Test
    void theLastFrameBeforeAPauseIsReadableWithoutAskingTheStreamForMore() throws Exception {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        KubeProtobufCodec.writeWatchFrame(frames, "ADDED", codec.encode(json(
                "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\",\"resourceVersion\":\"3\"}}")));
        byte[] bytes = frames.toByteArray();
        java.io.InputStream paused = new java.io.InputStream() {
            private int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0 || at == bytes.length) {
                    throw new IllegalStateException("would block: the server has sent nothing more yet");
                }
                int n = Math.min(len, bytes.length - at);
                System.arraycopy(bytes, at, b, off, n);
                at += n;
                return n;
            }
        };
        java.io.InputStream events = reader.watchAsJson(paused);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] buf = new byte[64];
        while (line.size() == 0 || line.toByteArray()[line.size() - 1] != '\n') {
            int n = events.read(buf, 0, buf.length);
            line.write(buf, 0, n);
        }
        assertThat(json(line.toString(StandardCharsets.UTF_8)).path("object").path("metadata").path("name").asText()).isEqualTo("c");
    }

    @Test
    void badInputIsATypedErrorThatSaysWhatWasWrong() throws Exception {
        byte[] cm = codec.encode(json("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\"}}"));
        assertThatThrownBy(() -> reader.toJson("{\"kind\":\"Pod\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtobufFormatException.class).hasMessageContaining("expected prefix [107, 56, 115, 0]");
        assertThatThrownBy(() -> reader.toJson(Arrays.copyOf(cm, cm.length - 3)))
                .isInstanceOf(ProtobufFormatException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> reader.toJson(KubeProtobufCodec.wrap("example.com/v1", "Widget", new byte[0])))
                .isInstanceOf(ProtobufFormatException.class)
                .hasMessageContaining("no protobuf message is known for kind \"Widget\" in apiVersion \"example.com/v1\"");
        // metadata (field 1) sent as a varint instead of a message
        assertThatThrownBy(() -> reader.toJson(KubeProtobufCodec.wrap("v1", "ConfigMap", new byte[] {0x08, 0x01})))
                .isInstanceOf(ProtobufFormatException.class).hasMessageContaining("field metadata has wire type 0");

        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        KubeProtobufCodec.writeWatchFrame(frames, "ADDED", cm);
        byte[] cut = Arrays.copyOf(frames.toByteArray(), frames.size() - 2);
        assertThatThrownBy(() -> reader.watchAsJson(new ByteArrayInputStream(cut)).readAllBytes())
                .isInstanceOf(ProtobufFormatException.class).hasMessageContaining("ended inside a frame");
    }

    /**
     * Wire forms the official classes never write but other encoders may: both readers read them
     * as protobuf's own parser does (a message field sent twice merged, the last scalar winning,
     * a map's entries appended), and refuse the same malformed ones with the same words.
     */
    @Test
    void bothReadersMergeAMessageFieldSentTwice() throws Exception {
        Descriptor pod = KubeApiCatalog.messageFor("", "v1", "Pod").orElseThrow();
        // metadata twice (name, then labels and a new name); spec twice (a container, then nodeName and a
        // second container); the container's livenessProbe twice, its inline handler (ProbeHandler) each time:
        // Probe.handler (1) → ProbeHandler.httpGet (2) → HTTPGetAction.path (1) / .scheme (4); Probe.periodSeconds (4)
        byte[] probe1 = message(1, message(2, string(1, "/healthz")));
        byte[] probe2 = concat(message(1, message(2, string(4, "HTTPS"))), field(4, varint(7)));
        byte[] raw = concat(
                message(1, concat(string(1, "a"), mapEntry(11, "app", "web"))),
                message(2, message(2, concat(string(1, "web"), message(10, probe1), message(10, probe2)))),
                message(1, concat(string(1, "b"), mapEntry(11, "tier", "front"))),
                message(2, concat(string(10, "node-1"), message(2, string(1, "sidecar")))));
        byte[] body = KubeProtobufCodec.wrap("v1", "Pod", raw);

        JsonNode client = Json.tree(reader.toJson(body));
        JsonNode store = reparsed(codec.decode(body, "v1", "Pod"));
        assertThat(client).isEqualTo(store);
        JsonNode parsed = reparsed(new ProtobufJsonConverter().toJson(com.google.protobuf.DynamicMessage.parseFrom(pod, raw)));
        JsonNode withoutType = ((ObjectNode) client.deepCopy()).without(List.of("kind", "apiVersion"));
        assertThat(withoutType).isEqualTo(parsed);
        assertThat(client.at("/metadata/name").asText()).isEqualTo("b");
        assertThat(client.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"web\",\"tier\":\"front\"}");
        assertThat(client.at("/spec/nodeName").asText()).isEqualTo("node-1");
        assertThat(client.at("/spec/containers")).hasSize(2);
        JsonNode probe = client.at("/spec/containers/0/livenessProbe");
        assertThat(probe.at("/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(probe.at("/httpGet/scheme").asText()).isEqualTo("HTTPS");
        assertThat(probe.at("/periodSeconds").asInt()).isEqualTo(7);
    }

    @Test
    void bothReadersRefuseAKnownFieldInAnotherWireTypeWithTheSameWords() {
        // ConfigMap.metadata (1) as a varint; ObjectMeta.name (1) as a fixed32; a Quantity's string as a varint
        byte[][] bodies = {
                KubeProtobufCodec.wrap("v1", "ConfigMap", concat(tag(1, WireFormat.WIRETYPE_VARINT), varint(1))),
                KubeProtobufCodec.wrap("v1", "ConfigMap", message(1, concat(tag(1, WireFormat.WIRETYPE_FIXED32), new byte[4]))),
                KubeProtobufCodec.wrap("v1", "Pod", message(2, message(2, concat(string(1, "c"), message(8, message(1,
                        concat(string(1, "cpu"), message(2, field(1, varint(3)))))))))),
        };
        String[] words = {"ConfigMap: field metadata has wire type 0, expected 2", "ObjectMeta: field name has wire type 5, expected 2",
                "Quantity: field string has wire type 0, expected 2"};
        for (int i = 0; i < bodies.length; i++) {
            byte[] body = bodies[i];
            assertThatThrownBy(() -> reader.toJson(body)).isInstanceOf(ProtobufFormatException.class).hasMessageContaining(words[i]);
            assertThatThrownBy(() -> codec.decode(body, "v1", "ConfigMap")).isInstanceOf(ProtobufFormatException.class)
                    .hasMessageContaining(words[i]);
        }
    }

    @Test
    void bothReadersRefuseNestingDeeperThanProtobufAllows() {
        // CRD.spec → versions → schema → openAPIV3Schema, then JSONSchemaProps.items → JSONSchemaPropsOrArray.schema ...
        Descriptor crd = KubeApiCatalog.messageFor("apiextensions.k8s.io", "v1", "CustomResourceDefinition").orElseThrow();
        Descriptor spec = crd.findFieldByName("spec").getMessageType();
        Descriptor version = spec.findFieldByName("versions").getMessageType();
        Descriptor validation = version.findFieldByName("schema").getMessageType();
        Descriptor props = validation.findFieldByName("openAPIV3Schema").getMessageType();
        int items = props.findFieldByName("items").getNumber();
        int itemSchema = props.findFieldByName("items").getMessageType().findFieldByName("schema").getNumber();
        byte[] schema = string(props.findFieldByName("id").getNumber(), "leaf");
        for (int i = 0; i < 150; i++) {
            schema = message(items, message(itemSchema, schema));
        }
        byte[] body = KubeProtobufCodec.wrap("apiextensions.k8s.io/v1", "CustomResourceDefinition",
                message(crd.findFieldByName("spec").getNumber(), message(spec.findFieldByName("versions").getNumber(),
                        message(version.findFieldByName("schema").getNumber(),
                                message(validation.findFieldByName("openAPIV3Schema").getNumber(), schema)))));
        assertThatThrownBy(() -> reader.toJson(body)).isInstanceOf(ProtobufFormatException.class)
                .hasMessageContaining("nested more than 100 levels");
        assertThatThrownBy(() -> codec.decode(body, "apiextensions.k8s.io/v1", "CustomResourceDefinition"))
                .isInstanceOf(ProtobufFormatException.class).hasMessageContaining("nested more than 100 levels");
    }

    /** The store's tree as parsed JSON (its numbers are LongNodes where a parser makes IntNodes). */
    private static JsonNode reparsed(JsonNode tree) {
        return Json.tree(Json.toBytes(tree));
    }

    private static ObjectNode json(String s) {
        return (ObjectNode) Json.tree(s.getBytes(StandardCharsets.UTF_8));
    }
}
