package io.kardia.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import org.junit.jupiter.api.Test;

class DraftTest {

    @Test
    void sealSplicesTheRevisionIntoCanonicalBytes() {
        ObjectNode o = (ObjectNode) Json.tree("""
                {"data":{"x":"1"},"kind":"ConfigMap","metadata":{"labels":{"resourceVersion":"0000000000000000000"},
                 "name":"n","namespace":"ns","resourceVersion":"","annotations":{}},"apiVersion":"v1","nullField":null}""".getBytes());
        StoredObject s = Draft.of(o).seal(42);
        assertThat(s.toString()).isEqualTo("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n\",\"namespace\":\"ns\","
                + "\"resourceVersion\":\"42\",\"labels\":{\"resourceVersion\":\"0000000000000000000\"}},\"data\":{\"x\":\"1\"}}");
        assertThat(Json.tree(s.bytes())).isEqualTo(s.json());
        assertThat(s.resourceVersion()).isEqualTo("42");
        assertThat(s.labels()).containsEntry("resourceVersion", "0000000000000000000");
    }

    @Test
    void unsealedHasNoResourceVersion() {
        ObjectNode o = (ObjectNode) Json.tree("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"n\"}}".getBytes());
        assertThat(Draft.of(o).unsealed().json().path("metadata").has("resourceVersion")).isFalse();
    }
}
