package io.kardia.store.protobuf;

import io.kardia.kubeapi.protobuf.ProtobufKinds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kubernetes.client.proto.Runtime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every top-level kind and list of the pinned release's descriptors (the kube-api catalog's,
 * which the store serves with): a message with every field set, built and encoded by the official
 * client's generated classes (with the runtime.Unknown envelope of its Runtime class), decodes to
 * JSON with our codec and encodes back to the same message.
 */
class ProtobufRoundTripTest {
    private static final byte[] MAGIC = {0x6b, 0x38, 0x73, 0x00};
    private final KubeProtobufCodec codec = new KubeProtobufCodec(ProtobufKinds.builtIn());

    static Stream<Descriptor> kinds() {
        return OfficialProtos.topLevelKinds(KubeApiCatalog.descriptors()).stream();
    }

    @Test
    void theDescriptorsCoverTheBuiltInKinds() {
        List<String> names = kinds().map(Descriptor::getFullName).toList();
        assertThat(names).contains("k8s.io.api.core.v1.Pod", "k8s.io.api.core.v1.ServiceList", "k8s.io.api.apps.v1.StatefulSet",
                "k8s.io.api.batch.v1.CronJob", "k8s.io.api.rbac.v1.ClusterRoleBinding",
                "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
                "k8s.io.api.events.v1.Event", "k8s.io.api.coordination.v1.Lease");
        assertThat(names.size()).isGreaterThan(100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aFullyPopulatedMessageSurvivesDecodeAndEncode(Descriptor kind) throws Exception {
        Descriptor generated = OfficialProtos.generated(kind.getFullName());
        Message original = new Filler().fill(OfficialProtos.newBuilder(generated), new ArrayList<>()).build();
        String apiVersion = ProtobufKinds.apiVersionOfPackage(kind.getFile().getPackage());
        byte[] body = envelope(apiVersion, kind.getName(), original.toByteString());

        ObjectNode json = codec.decode(body, apiVersion, kind.getName());
        assertThat(json.path("kind").asText()).isEqualTo(kind.getName());
        assertThat(json.path("apiVersion").asText()).isEqualTo(apiVersion);
        assertThat(json.path("metadata").isObject()).as("metadata of %s", json).isTrue();

        byte[] again = codec.encode(json);
        assertThat(Arrays.copyOf(again, 4)).isEqualTo(MAGIC);
        Runtime.Unknown unknown = Runtime.Unknown.parseFrom(Arrays.copyOfRange(again, 4, again.length));
        assertThat(unknown.getTypeMeta().getApiVersion()).isEqualTo(apiVersion);
        assertThat(unknown.getTypeMeta().getKind()).isEqualTo(kind.getName());
        Message decoded = OfficialProtos.parse(generated, unknown.getRaw().toByteArray());
        assertThat(decoded).as("JSON in between: %s", json).isEqualTo(original);
    }

    /**
     * The streaming reader gives exactly (fields and their order) the JSON of the message parsed
     * first, the path it replaced and that {@link ProtobufJsonConverter#toJson} still takes for
     * built message objects.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void theStreamingReaderGivesTheJsonOfTheParsedMessage(Descriptor kind) throws Exception {
        Descriptor generated = OfficialProtos.generated(kind.getFullName());
        byte[] raw = new Filler().fill(OfficialProtos.newBuilder(generated), new ArrayList<>()).build().toByteArray();

        ObjectNode streamed = new ProtobufJsonReader().read(raw, kind);
        ObjectNode parsed = new ProtobufJsonConverter().toJson(com.google.protobuf.DynamicMessage.parseFrom(kind, raw));
        assertThat(streamed.toString()).isEqualTo(parsed.toString());
    }

    static byte[] envelope(String apiVersion, String kind, ByteString raw) {
        byte[] unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentEncoding("").setContentType("")
                .build().toByteArray();
        byte[] body = Arrays.copyOf(MAGIC, 4 + unknown.length);
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        return body;
    }

    /**
     * Sets every field through the generated builders' reflection API: distinct non-zero scalars,
     * one entry per map and list, and for Kubernetes' special types a value in the form kube writes
     * (a Time in whole seconds, a MicroTime in microseconds, all three fields of an IntOrString).
     * A message type already on the path is not entered again (JSONSchemaProps is recursive).
     */
    static final class Filler {
        private int counter = 1;

        Message.Builder fill(Message.Builder b, List<String> path) {
            Descriptor d = b.getDescriptorForType();
            if (fillSpecial(b, d, path)) {
                return b;
            }
            path.add(d.getFullName());
            for (FieldDescriptor f : d.getFields()) {
                if (f.isMapField()) {
                    Message.Builder entry = b.newBuilderForField(f);
                    FieldDescriptor key = f.getMessageType().findFieldByNumber(1);
                    FieldDescriptor value = f.getMessageType().findFieldByNumber(2);
                    entry.setField(key, "key-" + f.getName());
                    Object v = value(entry, value, path);
                    if (v == null) {
                        continue;
                    }
                    entry.setField(value, v);
                    b.addRepeatedField(f, entry.build());
                } else if (f.isRepeated()) {
                    Object v = value(b, f, path);
                    if (v != null) {
                        b.addRepeatedField(f, v);
                    }
                } else {
                    Object v = value(b, f, path);
                    if (v != null) {
                        b.setField(f, v);
                    }
                }
            }
            path.remove(path.size() - 1);
            return b;
        }

        private Object value(Message.Builder parent, FieldDescriptor f, List<String> path) {
            int n = counter++;
            return switch (f.getJavaType()) {
                case INT -> 10 + n;
                case LONG -> 1000L + n;
                case FLOAT -> 1.5f;
                case DOUBLE -> 2.5 + n;
                case BOOLEAN -> true;
                case STRING -> f.getName() + "-" + n;
                case BYTE_STRING -> ByteString.copyFrom(new byte[] {1, 2, (byte) 0xff, (byte) n});
                case ENUM -> f.getEnumType().getValues().get(0);
                case MESSAGE -> {
                    Descriptor t = f.getMessageType();
                    if (path.contains(t.getFullName()) || t.getName().equals("JSONSchemaPropsOrArray")
                            && path.contains(t.findFieldByName("schema").getMessageType().getFullName())) {
                        yield null; // recursion ends here (an OrArray holding nothing is JSON null: not set)
                    }
                    yield fill(parent.newBuilderForField(f), path).build();
                }
            };
        }

        private boolean fillSpecial(Message.Builder b, Descriptor d, List<String> path) {
            String full = d.getFullName();
            switch (full) {
                case "k8s.io.apimachinery.pkg.apis.meta.v1.Time" -> {
                    set(b, "seconds", 1_700_000_000L + counter++);
                    set(b, "nanos", 0);
                }
                case "k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime" -> {
                    set(b, "seconds", 1_700_000_000L + counter++);
                    set(b, "nanos", 123_456_000);
                }
                case "k8s.io.apimachinery.pkg.apis.meta.v1.Duration" -> set(b, "duration", 5_400_000_000_000L + counter++ * 1_000_000L);
                case "k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1" ->
                        set(b, "Raw", json("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}}}"));
                case "k8s.io.apimachinery.pkg.runtime.RawExtension" ->
                        set(b, "raw", json("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"k\":\"v\"},\"n\":[1,\"two\",null]}"));
                case "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSON",
                     "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1beta1.JSON" -> set(b, "raw", json("{\"x\":[true,1.5]}"));
                case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> set(b, "string", (counter++ % 2 == 0) ? "250m" : "1Gi");
                case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
                    boolean isString = counter++ % 2 == 0;
                    set(b, "type", isString ? 1L : 0L);
                    set(b, "intVal", isString ? 0 : 8080);
                    set(b, "strVal", isString ? "25%" : "");
                }
                default -> {
                    if (full.startsWith("k8s.io.apiextensions_apiserver.") && d.getName().startsWith("JSONSchemaPropsOr")) {
                        fillSchemaOr(b, d, path);
                    } else if (isStringList(d)) {
                        b.addRepeatedField(d.getFields().get(0), "a-" + counter++);
                        b.addRepeatedField(d.getFields().get(0), "b-" + counter++);
                    } else {
                        return false;
                    }
                }
            }
            return true;
        }

        /** One of the alternatives, in the form kube writes when it reads that JSON. */
        private void fillSchemaOr(Message.Builder b, Descriptor d, List<String> path) {
            FieldDescriptor schema = d.findFieldByName("schema");
            boolean canNest = !path.contains(schema.getMessageType().getFullName());
            switch (d.getName()) {
                case "JSONSchemaPropsOrBool" -> {
                    set(b, "allows", canNest);
                    if (canNest) {
                        b.setField(schema, fill(b.newBuilderForField(schema), path).build());
                    }
                }
                case "JSONSchemaPropsOrStringArray" -> {
                    b.addRepeatedField(d.findFieldByName("property"), "p-" + counter++);
                }
                default -> {
                    if (canNest) {
                        b.setField(schema, fill(b.newBuilderForField(schema), path).build());
                    }
                }
            }
        }

        private static boolean isStringList(Descriptor d) {
            return d.getFields().size() == 1 && !d.getName().endsWith("List") && d.getFields().get(0).getName().equals("items")
                    && d.getFields().get(0).isRepeated() && d.getFields().get(0).getJavaType() == FieldDescriptor.JavaType.STRING;
        }

        private static void set(Message.Builder b, String field, Object value) {
            b.setField(b.getDescriptorForType().findFieldByName(field), value);
        }

        private static ByteString json(String s) {
            return ByteString.copyFrom(s, StandardCharsets.UTF_8);
        }
    }
}
