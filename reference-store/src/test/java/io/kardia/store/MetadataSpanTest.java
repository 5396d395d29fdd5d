package io.kardia.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The metadata slice of the stored bytes is exactly what serializing the metadata tree alone gives. */
class MetadataSpanTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\"},\"spec\":{}}",
            // strings holding braces, quotes, escapes and non-ASCII text before and inside metadata
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"data\":{\"a\":\"}{\\\"metadata\\\":{}\",\"b\":[1,{\"c\":null}]},"
                    + "\"metadata\":{\"name\":\"é}\",\"annotations\":{\"x\":\"{\\\\\\\"\\u0001\"},\"labels\":{\"k\":\"日本\"}},\"z\":1}",
            "{\"metadata\":{}}",
            "{\"kind\":\"X\",\"metadata\":{\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:data\":{\".\":{}}}}]}}",
    })
    void sliceEqualsSerializedMetadata(String json) throws IOException {
        StoredObject o = stored(json);
        byte[] expected = Json.toBytes(o.tree().get("metadata"));

        assertThat(new String(o.metadataBytes(), StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        o.writeMetadataTo(out);
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(MetadataSpan.find(o.rawBytes())).isNotEqualTo(StoredObject.NO_SPAN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"kind\":\"X\"}", "{\"kind\":\"X\",\"metadata\":null}", "{\"metadata\":\"a\"}", "[]"})
    void withoutAMetadataObjectTheAnswerIsSerializedFromTheTree(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(MetadataSpan.find(bytes)).isEqualTo(StoredObject.NO_SPAN);
        if (json.startsWith("{")) {
            StoredObject o = stored(json);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            o.writeMetadataTo(out);
            // as before the slice: the tree's metadata as it is, {} when there is none
            String expected = o.tree().has("metadata") ? Json.mapper().writeValueAsString(o.tree().get("metadata")) : "{}";
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        }
    }

    @org.junit.jupiter.api.Test
    void notValidJsonHasNoSpan() {
        assertThat(MetadataSpan.find("{\"metadata\":{\"a\":".getBytes(StandardCharsets.UTF_8))).isEqualTo(StoredObject.NO_SPAN);
    }

    private static StoredObject stored(String json) {
        ObjectNode tree = (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
        return new StoredObject(1, tree, Json.toBytes(tree));
    }
}
