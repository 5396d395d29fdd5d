package io.kardia.store.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.kardia.core.json.Json;
import io.kardia.kubeapi.KubeApiCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The wire forms other encoders may send, which the official classes never write: packed repeated
 * scalars, a message field twice, unknown fields, a map entry without its value; each read as
 * protobuf's own parser reads it. And bodies that are no valid message, among them a known field in
 * a wire type it cannot have (refused, where protobuf-java would skip it).
 */
class ProtobufJsonReaderTest {
    private static final Descriptor POD = KubeApiCatalog.messageFor("", "v1", "Pod").orElseThrow();
    private static final Descriptor SCHEMA = KubeApiCatalog.message(
            "k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps").orElseThrow();
    private final ProtobufJsonReader reader = new ProtobufJsonReader();

    @Test
    void packedAndUnpackedRepeatedScalarsAreTheSameArray() throws Exception {
        // Pod.spec (2) → PodSpec.securityContext (14) → PodSecurityContext.supplementalGroups (4, repeated int64)
        byte[] packed = message(2, message(14, concat(packed(4, 1, 2), field(4, varint(3)))));
        ObjectNode pod = reader.read(packed, POD);
        assertThat(pod.at("/spec/securityContext/supplementalGroups").toString()).isEqualTo("[1,2,3]");
        assertSameAsParsed(packed, POD);
    }

    @Test
    void aMessageFieldSeenTwiceIsMergedAndTheLastScalarWins() throws Exception {
        // Pod.metadata (1): name (1), then labels (11) and name again in a second occurrence
        byte[] first = message(1, concat(string(1, "a"), mapEntry(11, "app", "web")));
        byte[] second = message(1, concat(string(1, "b"), mapEntry(11, "tier", "front")));
        byte[] body = concat(first, second);
        ObjectNode pod = reader.read(body, POD);
        assertThat(pod.at("/metadata/name").asText()).isEqualTo("b");
        assertThat(pod.at("/metadata/labels").toString()).isEqualTo("{\"app\":\"web\",\"tier\":\"front\"}");
        assertSameAsParsed(body, POD);
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        byte[] body = concat(field(999, varint(7)), message(1, concat(string(1, "kept"), string(998, "later release"))));
        ObjectNode pod = reader.read(body, POD);
        assertThat(pod.toString()).isEqualTo("{\"metadata\":{\"name\":\"kept\"}}");
        assertSameAsParsed(body, POD);
    }

    @Test
    void aKnownFieldInAnotherWireTypeIsRefusedNotSkipped() {
        byte[] body = concat(tag(1, WireFormat.WIRETYPE_VARINT), varint(5), // metadata as a varint: not a message
                message(1, string(1, "kept")));
        assertThatThrownBy(() -> reader.read(body, POD)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("Pod: field metadata has wire type 0, expected 2");
        // a string field (ObjectMeta.name) sent as a fixed64
        byte[] nested = message(1, concat(tag(1, WireFormat.WIRETYPE_FIXED64), new byte[8]));
        assertThatThrownBy(() -> reader.read(nested, POD)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("ObjectMeta: field name has wire type 1, expected 2");
        // a map entry's value (labels' value, a string) sent as a varint
        byte[] entry = message(1, message(11, concat(string(1, "app"), field(2, varint(1)))));
        assertThatThrownBy(() -> reader.read(entry, POD)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("field value has wire type 0, expected 2");
        // a Quantity's string as a varint: the special types are checked as well
        byte[] quantity = message(2, message(2, concat(string(1, "c"), message(8, message(1,
                concat(string(1, "cpu"), message(2, field(1, varint(3)))))))));
        assertThatThrownBy(() -> reader.read(quantity, POD)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessage("Quantity: field string has wire type 0, expected 2");
    }

    @Test
    void aMapEntryWithoutValueHasTheDefaultValue() throws Exception {
        byte[] body = message(1, message(11, string(1, "empty")));
        assertThat(reader.read(body, POD).at("/metadata/labels").toString()).isEqualTo("{\"empty\":\"\"}");
        assertSameAsParsed(body, POD);
    }

    @Test
    void truncatedAndMalformedBytesAreRefused() {
        byte[] whole = message(1, string(1, "name"));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 2);
        assertThatThrownBy(() -> reader.read(truncated, POD)).isInstanceOf(InvalidProtocolBufferException.class);
        byte[] negativeLength = concat(tag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED), varint(-1L));
        assertThatThrownBy(() -> reader.read(negativeLength, POD)).isInstanceOf(InvalidProtocolBufferException.class);
        byte[] strayEndGroup = tag(7, WireFormat.WIRETYPE_END_GROUP);
        assertThatThrownBy(() -> reader.read(strayEndGroup, POD)).isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void aMessageNestedDeeperThanTheLimitIsRefused() {
        // JSONSchemaProps.items (24) → JSONSchemaPropsOrArray.schema (1) → JSONSchemaProps ...: two levels a step
        byte[] body = string(1, "leaf");
        for (int i = 0; i < ProtobufJsonReader.MAX_DEPTH / 2 + 1; i++) {
            body = message(24, message(1, body));
        }
        byte[] deep = body;
        assertThatThrownBy(() -> reader.read(deep, SCHEMA)).isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("nested more than 100 levels");
    }

    @Test
    void aSchemaNestedWithinTheLimitIsRead() throws Exception {
        byte[] body = string(1, "leaf");
        for (int i = 0; i < 10; i++) {
            body = message(24, message(1, body));
        }
        assertThat(reader.read(body, SCHEMA).toString()).contains("\"id\":\"leaf\"");
        assertSameAsParsed(body, SCHEMA);
    }

    private void assertSameAsParsed(byte[] body, Descriptor type) throws Exception {
        assertThat(reader.read(body, type).toString())
                .isEqualTo(new ProtobufJsonConverter().toJson(DynamicMessage.parseFrom(type, body)).toString());
        assertThat(Json.tree(Json.toBytes(reader.read(body, type)))).isNotNull();
    }

    // ------------------------------------------------------------------ wire bytes by hand

    static byte[] tag(int number, int wireType) {
        return varint(((long) number << 3) | wireType);
    }

    static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            CodedOutputStream o = CodedOutputStream.newInstance(out);
            o.writeUInt64NoTag(v);
            o.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    static byte[] field(int number, byte[] varint) {
        return concat(tag(number, WireFormat.WIRETYPE_VARINT), varint);
    }

    static byte[] message(int number, byte[] body) {
        return concat(tag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED), varint(body.length), body);
    }

    static byte[] string(int number, String s) {
        return message(number, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] mapEntry(int number, String key, String value) {
        return message(number, concat(string(1, key), string(2, value)));
    }

    static byte[] packed(int number, long... values) {
        byte[] body = new byte[0];
        for (long v : values) {
            body = concat(body, varint(v));
        }
        return message(number, body);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
