package io.kardia.crd.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ResourceType;
import io.kardia.core.json.Yaml;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding a field to a spec record is one edit: the build puts it in the generated CRD,
 * {@code Crds.ensureInstalled} brings the cluster's CRD up to date, and the field round-trips
 * through the store; an operator still built with the old record keeps the new field when it
 * writes the object back. Two versions of the same source are compiled with the processor.
 */
@KardiaTest
class AddedFieldRoundTripTest {
    private static final String BACKUP = """
            package demo;
            import io.kardia.core.crd.*;
            import io.kardia.core.model.ObjectMeta;
            @Kind(group = "example.com", version = "v1alpha1")
            public record Backup(ObjectMeta metadata, BackupSpec spec, BackupStatus status)
                    implements CustomResource<BackupSpec, BackupStatus>, BackupBuilder.With {
            }
            """;
    private static final String STATUS = """
            package demo;
            public record BackupStatus(String phase) implements BackupStatusBuilder.With {
            }
            """;
    private static final String SPEC_V1 = """
            package demo;
            public record BackupSpec(String schedule) implements BackupSpecBuilder.With {
            }
            """;
    /** The one edit: a new component. */
    private static final String SPEC_V2 = """
            package demo;
            public record BackupSpec(String schedule, @jakarta.validation.constraints.Min(1) Integer keep)
                    implements BackupSpecBuilder.With {
            }
            """;

    @TempDir
    Path dir;

    @Test
    void anAddedSpecFieldReachesTheCrdAndRoundTripsThroughTheStore(TestEnvironment env) throws Exception {
        KubeClient client = env.client();
        env.createNamespace("ops");
        Compilation v1 = compile("v1", SPEC_V1);
        Compilation v2 = compile("v2", SPEC_V2);
        assertThat(Yaml.tree(v1.crd("backups.example.com")).at(SPEC_PROPERTIES + "/keep").isMissingNode()).isTrue();
        assertThat(Yaml.tree(v2.crd("backups.example.com")).at(SPEC_PROPERTIES + "/keep/minimum").asInt()).isEqualTo(1);

        try (URLClassLoader oldOperator = load(v1); URLClassLoader newOperator = load(v2)) {
            Class<KubeObject> oldBackup = backupClass(oldOperator);
            Class<KubeObject> newBackup = backupClass(newOperator);

            // The cluster has the old CRD; the new operator's field is pruned by the store.
            Crds.ensureInstalled(client, oldBackup);
            ResourceClient<KubeObject> newBackups = client.resources(newBackup);
            KubeObject created = newBackups.create(decode(newBackup,
                    "{\"metadata\":{\"name\":\"nightly\",\"namespace\":\"ops\"},\"spec\":{\"schedule\":\"@daily\",\"keep\":7}}"));
            assertThat(spec(created)).doesNotContainKey("keep");

            // The new operator applies its CRD at start: now the field is kept.
            CustomResourceDefinition updated = Crds.ensureInstalled(client, newBackup);
            assertThat(properties(updated)).containsKey("keep");
            KubeObject stored = newBackups.get("ops", "nightly");
            Object newSpec = invoke(stored, "spec");
            KubeObject changed = (KubeObject) stored.getClass().getMethod("withSpec", newSpec.getClass())
                    .invoke(stored, newSpec.getClass().getMethod("withKeep", Integer.class).invoke(newSpec, 7));
            KubeObject written = newBackups.update(changed);
            assertThat(invoke(invoke(written, "spec"), "keep")).isEqualTo(7);
            assertThat(invoke(invoke(newBackups.get("ops", "nightly"), "spec"), "keep")).isEqualTo(7);

            // The old operator, which does not know the field, writes the object back without losing it.
            ResourceClient<KubeObject> oldBackups = client.resources(oldBackup);
            KubeObject old = oldBackups.get("ops", "nightly");
            Object oldSpec = invoke(old, "spec");
            KubeObject relabelled = (KubeObject) old.getClass().getMethod("withSpec", oldSpec.getClass())
                    .invoke(old, oldSpec.getClass().getMethod("withSchedule", String.class).invoke(oldSpec, "@hourly"));
            oldBackups.update(relabelled);
            ResourceType<GenericObject> generic = ResourceType.generic("example.com", "v1alpha1", "Backup", "backups", true);
            GenericObject raw = client.resources(generic).get("ops", "nightly");
            @SuppressWarnings("unchecked")
            Map<String, Object> rawSpec = (Map<String, Object>) raw.fields().get("spec");
            assertThat(rawSpec).containsEntry("schedule", "@hourly").containsEntry("keep", 7);
        }
    }

    @Test
    void aFieldTheGeneratorNoLongerWritesLeavesTheCrd(TestEnvironment env) throws Exception {
        Compilation v1 = compile("v1", SPEC_V1);
        Compilation v2 = compile("v2", SPEC_V2);
        try (URLClassLoader newOperator = load(v2); URLClassLoader oldOperator = load(v1)) {
            assertThat(properties(Crds.ensureInstalled(env.client(), backupClass(newOperator)))).containsKey("keep");

            // The server's CRD still holds every field of the old one: only the digest tells them apart.
            CustomResourceDefinition rolledBack = Crds.ensureInstalled(env.client(), backupClass(oldOperator));

            assertThat(properties(rolledBack)).containsKey("schedule").doesNotContainKey("keep");
        }
    }

    private static final String SPEC_PROPERTIES = "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties";

    private Compilation compile(String version, String spec) throws Exception {
        Compilation c = Compilation.compile(dir.resolve(version),
                Map.of("demo.Backup", BACKUP, "demo.BackupSpec", spec, "demo.BackupStatus", STATUS));
        assertThat(c.errors()).isEmpty();
        return c;
    }

    private static URLClassLoader load(Compilation c) throws Exception {
        return new URLClassLoader(new URL[] {c.output().toUri().toURL()}, AddedFieldRoundTripTest.class.getClassLoader());
    }

    @SuppressWarnings("unchecked")
    private static Class<KubeObject> backupClass(ClassLoader loader) throws Exception {
        return (Class<KubeObject>) loader.loadClass("demo.Backup");
    }

    private static KubeObject decode(Class<KubeObject> type, String json) throws Exception {
        return Json.mapper().readValue(json, type);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(KubeObject backup) {
        return (Map<String, Object>) Json.mapper().convertValue(backup, Map.class).get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(CustomResourceDefinition crd) {
        Map<String, Object> schema = crd.spec().versions().getFirst().openAPIV3Schema();
        Map<String, Object> spec = (Map<String, Object>) ((Map<String, Object>) schema.get("properties")).get("spec");
        return (Map<String, Object>) spec.get("properties");
    }

    private static Object invoke(Object target, String accessor) throws Exception {
        var method = target.getClass().getMethod(accessor);
        method.setAccessible(true);
        return method.invoke(target);
    }
}
