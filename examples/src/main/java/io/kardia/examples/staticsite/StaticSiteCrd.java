package io.kardia.examples.staticsite;

import io.kardia.core.crd.CustomResources;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.CustomResourceDefinition.Version;
import io.kardia.runtime.crd.Crds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The StaticSite CRD, generated from the Java records at build time by kardia-crd-generator (into
 * {@code META-INF/kardia/crds/} of the jar). A copy is shipped for kubectl at {@value #RESOURCE};
 * a test fails when it differs from the generated one. Refresh it with
 * {@code java ... io.kardia.examples.staticsite.StaticSiteCrd examples/src/main/resources/crds/staticsites.examples.kardia.io.yaml}.
 */
public final class StaticSiteCrd {
    /** Class-path location of the shipped CRD YAML. */
    public static final String RESOURCE = "/crds/staticsites.examples.kardia.io.yaml";

    private StaticSiteCrd() {
    }

    /** The CRD's {@code openAPIV3Schema}. */
    public static Map<String, Object> openApiSchema() {
        return definition().spec().versions().getFirst().openAPIV3Schema();
    }

    /** The schema of {@code spec} alone: what the operator validates. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> specSchema() {
        return (Map<String, Object>) ((Map<String, Object>) openApiSchema().get("properties")).get("spec");
    }

    /** The generated CRD. */
    public static CustomResourceDefinition definition() {
        return Crds.generated(StaticSite.class);
    }

    /** The CRD with another schema (tests: a site stored before the schema tightened). */
    static CustomResourceDefinition definition(Map<String, Object> openApiSchema) {
        CustomResourceDefinition crd = definition();
        Version v = crd.spec().versions().getFirst();
        Version loosened = new Version(v.name(), v.served(), v.storage(), Map.of("openAPIV3Schema", openApiSchema),
                v.subresources(), v.extra());
        return crd.withSpec(new CustomResourceDefinition.Spec(crd.spec().group(), crd.spec().names(), crd.spec().scope(),
                List.of(loosened), crd.spec().extra()));
    }

    /** The generated YAML, as the build wrote it. */
    public static String yaml() {
        String resource = CustomResources.crdResource(StaticSite.TYPE.plural(), StaticSite.TYPE.group());
        try (InputStream in = StaticSite.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing: the build did not run kardia-crd-generator");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the generated CRD YAML to the file given, or prints it. */
    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.out.print(yaml());
        } else {
            Files.writeString(Path.of(args[0]), yaml(), StandardCharsets.UTF_8);
        }
    }
}
