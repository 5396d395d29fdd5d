package io.kardia.examples.database;

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
 * The Database CRD, generated from the Java records. The shipped YAML
 * ({@value #RESOURCE}) is checked against it by a test; regenerate it with
 * {@code java ... io.kardia.examples.database.DatabaseCrd examples/src/main/resources/crds/databases.examples.kardia.io.yaml}.
 */
public final class DatabaseCrd {
    /** Class-path location of the shipped CRD YAML. */
    public static final String RESOURCE = "/crds/databases.examples.kardia.io.yaml";

    private DatabaseCrd() {
    }

    /** The CRD's {@code openAPIV3Schema}. */
    public static Map<String, Object> openApiSchema() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spec", SchemaGenerator.objectSchema(DatabaseSpec.class));
        properties.put("status", SchemaGenerator.objectSchema(DatabaseStatus.class));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "object");
        root.put("properties", properties);
        return root;
    }

    /** The schema of {@code spec} alone (tests check samples against it). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> specSchema() {
        return (Map<String, Object>) ((Map<String, Object>) openApiSchema().get("properties")).get("spec");
    }

    public static CustomResourceDefinition definition() {
        var type = Database.TYPE;
        Version version = new Version(type.version(), true, true, Map.of("openAPIV3Schema", openApiSchema()),
                Subresources.withStatus(), null);
        Names names = Names.of(type.plural(), type.singular(), type.kind(), type.shortNames().toArray(String[]::new));
        return CustomResourceDefinition.of(Spec.of(type.group(), names, CustomResourceDefinition.NAMESPACED,
                List.of(version)));
    }

    public static String yaml() {
        return "# Generated from io.kardia.examples.database.Database* by DatabaseCrd; do not edit.\n"
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
