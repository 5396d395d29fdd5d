package io.kardia.runtime.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaGeneratorTest {

    enum Color { RED, GREEN }

    record Inner(@Schema(required = true, pattern = "^a") String name) {
    }

    record Outer(int count, Long big, Boolean flag, Color color, List<Inner> items, Map<String, Integer> sizes) {
    }

    record Unsupported(Optional<String> maybe) {
    }

    @Test
    void mapsJavaTypesToOpenApiTypes() {
        var schema = Json.mapper().valueToTree(SchemaGenerator.objectSchema(Outer.class));
        assertThat(schema.at("/properties/count/format").asText()).isEqualTo("int32");
        assertThat(schema.at("/properties/big/format").asText()).isEqualTo("int64");
        assertThat(schema.at("/properties/flag/type").asText()).isEqualTo("boolean");
        assertThat(schema.at("/properties/color/enum").toString()).isEqualTo("[\"RED\",\"GREEN\"]");
        assertThat(schema.at("/properties/items/items/required/0").asText()).isEqualTo("name");
        assertThat(schema.at("/properties/items/items/properties/name/pattern").asText()).isEqualTo("^a");
        assertThat(schema.at("/properties/sizes/additionalProperties/type").asText()).isEqualTo("integer");
    }

    @Test
    void anUnsupportedTypeIsNamed() {
        assertThatThrownBy(() -> SchemaGenerator.objectSchema(Unsupported.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Unsupported.maybe");
    }
}
