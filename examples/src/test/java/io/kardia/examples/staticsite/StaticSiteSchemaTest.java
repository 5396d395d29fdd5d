package io.kardia.examples.staticsite;

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

/** The generated StaticSite spec schema, checked by the same validator the store applies to writes. */
class StaticSiteSchemaTest {
    private static final JsonNode SPEC = Json.mapper().valueToTree(StaticSiteCrd.specSchema());

    private static List<String> errors(Object spec) {
        Causes causes = new Causes();
        CrdSchemaValidator.validate("spec", Json.mapper().valueToTree(spec), SPEC, causes);
        return causes.list().stream().map(c -> c.field() + ": " + c.message()).toList();
    }

    @Test
    void validSpecsPassAndBoundsAndPatternsAreChecked() {
        assertThat(errors(Map.of("image", "nginx:1.27", "replicas", 3, "content", Map.of("a", "b")))).isEmpty();
        assertThat(errors(Map.of())).isEmpty();
        assertThat(errors(Map.of("replicas", 11))).containsExactly(
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
        assertThat(errors(Map.of("image", "a b"))).singleElement().asString().contains("should match");
        assertThat(errors(Map.of("content", Map.of("index.html", 7)))).singleElement().asString()
                .contains("must be of type string");
    }

    @Test
    void theShippedSampleIsValid() throws Exception {
        JsonNode sample = Yaml.tree(Files.readString(Path.of("staticsite.yaml")));
        assertThat(sample.path("kind").asText()).isEqualTo("StaticSite");
        assertThat(errors(sample.get("spec"))).isEmpty();
    }

    /** The YAML shipped for kubectl must be what the Java classes generate: they cannot drift. */
    @Test
    void theShippedCrdYamlMatchesTheJavaClasses() throws Exception {
        String shipped;
        try (InputStream in = StaticSiteCrd.class.getResourceAsStream(StaticSiteCrd.RESOURCE)) {
            assertThat(in).as("the CRD YAML on the class path").isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(Yaml.tree(shipped))
                .as("examples/src/main/resources%s is stale; regenerate it with StaticSiteCrd.main",
                        StaticSiteCrd.RESOURCE)
                .isEqualTo(Yaml.tree(StaticSiteCrd.yaml()));
    }
}
