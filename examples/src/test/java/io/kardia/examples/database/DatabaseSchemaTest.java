package io.kardia.examples.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.json.Yaml;
import io.kardia.core.validation.Causes;
import io.kardia.core.validation.CrdSchemaValidator;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated Database spec schema, checked by the same validator the store applies to writes. */
class DatabaseSchemaTest {
    private static final JsonNode SPEC = Json.mapper().valueToTree(DatabaseCrd.specSchema());

    private static List<String> errors(Object spec) {
        Causes causes = new Causes();
        CrdSchemaValidator.validate("spec", Json.mapper().valueToTree(spec), SPEC, causes);
        return causes.list().stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    @Test
    void validSpecsPassAndBoundsAndPatternsAreChecked() {
        assertThat(errors(Map.of("image", "postgres:17", "replicas", 3, "storageSize", "10Gi"))).isEmpty();
        assertThat(errors(Map.of("storageSize", "1.5Ti"))).isEmpty();
        assertThat(errors(Map.of())).isEmpty();
        assertThat(errors(Map.of("replicas", 8))).containsExactly(
                "spec.replicas: Invalid value: 8: spec.replicas in body should be less than or equal to 7");
        assertThat(errors(Map.of("storageSize", "lots"))).singleElement().asString().contains("should match");
        assertThat(errors(Map.of("image", "a b"))).singleElement().asString().contains("should match");
    }

    @Test
    void theShippedSampleIsValid() throws Exception {
        JsonNode sample = Yaml.tree(Files.readString(Path.of("database.yaml")));
        assertThat(sample.path("kind").asText()).isEqualTo("Database");
        assertThat(errors(sample.get("spec"))).isEmpty();
    }

    /** The YAML shipped for kubectl must be what the Java classes generate: they cannot drift. */
    @Test
    void theShippedCrdYamlMatchesTheJavaClasses() throws Exception {
        String shipped;
        try (InputStream in = DatabaseCrd.class.getResourceAsStream(DatabaseCrd.RESOURCE)) {
            assertThat(in).as("the CRD YAML on the class path").isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(Yaml.tree(shipped))
                .as("examples/src/main/resources%s is stale; regenerate it with DatabaseCrd.main", DatabaseCrd.RESOURCE)
                .isEqualTo(Yaml.tree(DatabaseCrd.yaml()));
    }
}
