package io.kardia.store.fieldpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldsV1Test {
    /** managedFields of a Deployment as kube-apiserver 1.35 writes them for kubectl apply --server-side. */
    private static final String KUBE = """
            {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":\
            {"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},\
            "f:ports":{"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}}}}}}""";

    private static JsonNode json(String s) {
        return Json.tree(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decodesAndEncodesKubeApiserversFormatByteForByte() {
        FieldSet s = FieldsV1.decode(json(KUBE));
        assertThat(Json.toString(FieldsV1.encode(s))).isEqualTo(KUBE);
        assertThat(s.paths()).extracting(PathElement::display).contains(
                ".spec.replicas",
                ".spec.template.spec.containers[name=\"nginx\"]",
                ".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"].containerPort");
    }

    @Test
    void sortsFieldsBeforeKeysBeforeValuesBeforeIndices() {
        FieldSet s = new FieldSet();
        s.insert(List.of(PathElement.field("l"), new PathElement.Index(2)));
        s.insert(List.of(PathElement.field("l"), new PathElement.Value(json("\"b\""))));
        s.insert(List.of(PathElement.field("l"), new PathElement.Value(json("3"))));
        s.insert(List.of(PathElement.field("l"), PathElement.field("z")));
        s.insert(List.of(PathElement.field("l"), PathElement.parse("k:{\"name\":\"a\"}")));
        assertThat(Json.toString(FieldsV1.encode(s)))
                .isEqualTo("{\"f:l\":{\"f:z\":{},\"k:{\\\"name\\\":\\\"a\\\"}\":{},\"v:3\":{},\"v:\\\"b\\\"\":{},\"i:2\":{}}}");
    }

    @Test
    void setOperations() {
        FieldSet a = FieldsV1.decode(json("{\"f:a\":{},\"f:b\":{\".\":{},\"f:c\":{}}}"));
        FieldSet b = FieldsV1.decode(json("{\"f:b\":{\"f:c\":{}}}"));
        assertThat(Json.toString(FieldsV1.encode(a.difference(b)))).isEqualTo("{\"f:a\":{},\"f:b\":{}}");
        assertThat(Json.toString(FieldsV1.encode(a.intersection(b)))).isEqualTo("{\"f:b\":{\"f:c\":{}}}");
        assertThat(Json.toString(FieldsV1.encode(b.union(FieldsV1.decode(json("{\"f:d\":{}}"))))))
                .isEqualTo("{\"f:b\":{\"f:c\":{}},\"f:d\":{}}");
        assertThat(a.hasAtOrBelow(List.of(PathElement.field("b")))).isTrue();
        assertThat(b.has(List.of(PathElement.field("b")))).isFalse();
    }

    @Test
    void malformedFieldsAreNamed() {
        assertThatThrownBy(() -> FieldsV1.decode(json("{\"x:a\":{}}"))).hasMessageContaining("unknown path element \"x:a\"");
        assertThatThrownBy(() -> FieldsV1.decode(json("{\"f:a\":1}"))).hasMessageContaining("\"f:a\" must be a JSON object");
        assertThatThrownBy(() -> FieldsV1.decode(json("{\"k:{}\":{}}"))).hasMessageContaining("non-empty JSON object");
    }

    @Test
    void managedFieldsEntriesDecodeSortAndRefuseBrokenShapes() {
        JsonNode list = json("""
                [{"manager":"b","operation":"Update","apiVersion":"v1","time":"2026-01-01T00:00:00Z","fieldsType":"FieldsV1",
                  "fieldsV1":{"f:data":{}}},
                 {"manager":"a","operation":"Apply","apiVersion":"v1","time":"2026-01-02T00:00:00Z","fieldsType":"FieldsV1",
                  "fieldsV1":{"f:data":{"f:x":{}}},"subresource":"status"}]""");
        List<ManagedFieldsEntry> entries = ManagedFieldsCodec.decode(list);
        assertThat(Json.toString(ManagedFieldsCodec.encode(entries))).isEqualTo("[{\"manager\":\"a\",\"operation\":\"Apply\","
                + "\"apiVersion\":\"v1\",\"time\":\"2026-01-02T00:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{\"f:x\":{}}},"
                + "\"subresource\":\"status\"},{\"manager\":\"b\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
                + "\"time\":\"2026-01-01T00:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:data\":{}}}]");
        assertThat(ManagedFieldsCodec.problem(json("{\"metadata\":{\"managedFields\":[{\"fieldsType\":\"FieldsV2\"}]}}")))
                .contains("invalid fieldsType");
        assertThat(ManagedFieldsCodec.problem(json("{\"metadata\":{\"managedFields\":[{\"manager\":\"a\",\"operation\":\"Patch\","
                + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{}}]}}"))).contains("invalid operation");
        assertThat(ManagedFieldsCodec.problem(json("{\"metadata\":{\"managedFields\":[{}]}}"))).isNull();
        String dup = "{\"manager\":\"a\",\"operation\":\"Apply\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{}}";
        assertThat(ManagedFieldsCodec.problem(json("{\"metadata\":{\"managedFields\":[" + dup + "," + dup + "]}}")))
                .contains("duplicate entry");
    }
}
