package io.kardia.examples.staticsite;

import io.kardia.core.json.Yaml;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.CustomResourceDefinition.Names;
import io.kardia.core.model.CustomResourceDefinition.Spec;
import io.kardia.core.model.CustomResourceDefinition.Subresources;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.runtime.schema.SchemaGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The StaticSite CRD, generated from the Java records. The shipped YAML
 * ({@value #RESOURCE}) is checked against it by a test; regenerate it with
 * {@code java ... io.kardia.examples.staticsite.StaticSiteCrd examples/src/main/resources/crds/staticsites.examples.kardia.io.yaml}.
 */
public final class StaticSiteCrd {
    /** Class-path location of the shipped CRD YAML. */
    public static final String RESOURCE = "/crds/staticsites.examples.kardia.io.yaml";

    private StaticSiteCrd() {
    }

    /** The CRD's {@code openAPIV3Schema}. */
    public static Map<String, Object> openApiSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spec", SchemaGenerator.objectSchema(StaticSiteSpec.class));
        properties.put("status", SchemaGenerator.objectSchema(StaticSiteStatus.class));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "object");
        root.put("properties", properties);
        return root;
    }

    /** The schema of {@code spec} alone: what the operator validates. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> specSchema() {
        return (Map<String, Object>) ((Map<String, Object>) openApiSchema().get("properties")).get("spec");
    }

    public static CustomResourceDefinition definition() {
        return definition(openApiSchema());
    }

    /** The CRD with another schema (tests: a site stored before the schema tightened). */
    static CustomResourceDefinition definition(Map<String, Object> openApiSchema) {
        var type = StaticSite.TYPE;
        Version version = new Version(type.version(), true, true, Map.of("openAPIV3Schema", openApiSchema),
                Subresources.withStatus(), null);
        Names names = Names.of(type.plural(), type.singular(), type.kind(), type.shortNames().toArray(String[]::new));
        return CustomResourceDefinition.of(Spec.of(type.group(), names, CustomResourceDefinition.NAMESPACED,
                List.of(version)));
    }

    public static String yaml() {
        return "# Generated from io.kardia.examples.staticsite.StaticSite* by StaticSiteCrd; do not edit.\n"
                + Yaml.write(definition());
    }

    /** Writes the CRD YAML to the file given, or prints it. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.print(yaml());
        } else {
            Files.writeString(Path.of(args[0]), yaml(), StandardCharsets.UTF_8);
        }
    }
}
