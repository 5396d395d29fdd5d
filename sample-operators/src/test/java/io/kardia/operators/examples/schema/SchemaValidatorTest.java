package io.kardia.operators.examples.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Yaml;
import io.kardia.operators.examples.StaticSiteCrd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    private static final SchemaValidator SPEC = SchemaValidator.of(StaticSiteCrd.specSchema());

    @Test
    void aValidSpecAndAnEmptyOneHaveNoErrors() {
        assertThat(SPEC.validate("spec", Map.of("image", "nginx:1.27", "replicas", 3, "content", Map.of("a", "b"))))
                .isEmpty();
        assertThat(SPEC.validate("spec", Map.of())).isEmpty();
    }

    @Test
    void fieldsTheSchemaDoesNotDeclareArePrunedNotRefused() {
        assertThat(SPEC.validate("spec", Map.of("replica", 3))).isEmpty();
    }

    @Test
    void boundsPatternsAndLengthsAreChecked() {
        assertThat(SPEC.validate("spec", Map.of("replicas", 11))).containsExactly(
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
        assertThat(SPEC.validate("spec", Map.of("replicas", -1))).singleElement().asString()
                .contains("greater than or equal to 0");
        assertThat(SPEC.validate("spec", Map.of("image", "a b"))).singleElement().asString().contains("should match");
        assertThat(SPEC.validate("spec", Map.of("image", ""))).anySatisfy(e -> assertThat(e).contains("at least 1 chars"));
        assertThat(SPEC.validate("spec", Map.of("image", "x".repeat(513)))).singleElement().asString()
                .contains("Too long");
    }

    @Test
    void typesAreCheckedAtEveryDepth() {
        assertThat(SPEC.validate("spec", Map.of("replicas", "three"))).singleElement().asString()
                .isEqualTo("spec.replicas: Invalid value: \"three\": spec.replicas in body must be of type integer (int32)");
        assertThat(SPEC.validate("spec", Map.of("replicas", 1.5))).singleElement().asString().contains("integer");
        assertThat(SPEC.validate("spec", Map.of("replicas", 3_000_000_000L))).singleElement().asString()
                .contains("int32");
        assertThat(SPEC.validate("spec", Map.of("content", Map.of("index.html", 7)))).containsExactly(
                "spec.content[index.html]: Invalid value: \"7\": spec.content[index.html] in body must be of type string");
        assertThat(SPEC.validate("spec", List.of())).singleElement().asString().contains("must be of type object");
    }

    @Test
    void requiredEnumItemsAndMaxPropertiesAreChecked() {
        var schema = SchemaValidator.of(Map.of("type", "object", "required", List.of("mode"), "maxProperties", 2,
                "properties", Map.of("mode", Map.of("type", "string", "enum", List.of("A", "B")),
                        "tags", Map.of("type", "array", "items", Map.of("type", "string")))));
        assertThat(schema.validate("x", Map.of())).containsExactly("x.mode: Required value");
        assertThat(schema.validate("x", Map.of("mode", "C"))).singleElement().asString().contains("Unsupported value");
        assertThat(schema.validate("x", Map.of("mode", "A", "tags", List.of("a", 1)))).singleElement().asString()
                .startsWith("x.tags[1]:");
        assertThat(schema.validate("x", Map.of("mode", "A", "tags", List.of(), "z", 1))).singleElement().asString()
                .contains("Too many");
    }

    @Test
    void anInvalidPatternInTheSchemaIsReportedAsSuch() {
        var schema = SchemaValidator.of(Map.of("type", "string", "pattern", "(["));
        assertThatThrownBy(() -> schema.validate("s", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a valid regular expression");
    }

    @Test
    void theShippedSampleIsValid() throws Exception {
        Path sample = Path.of("..", "examples", "staticsite.yaml");
        var tree = Yaml.tree(Files.readString(sample));
        assertThat(tree.path("kind").asText()).isEqualTo("StaticSite");
        assertThat(SPEC.validate("spec", tree.get("spec"))).isEmpty();
    }
}
