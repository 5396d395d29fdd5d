package io.kardia.core.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.core.json.Json;
import io.kardia.core.json.UnknownFields;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.ResourceTypes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CustomResourceTest {

    @Kind(group = "example.com", version = "v1alpha1", shortNames = "bk", categories = "all")
    record Backup(ObjectMeta metadata, BackupSpec spec, BackupStatus status)
            implements CustomResource<BackupSpec, BackupStatus> {
    }

    record BackupSpec(String schedule, Integer keep, List<Target> targets) {
    }

    record Target(String bucket) {
    }

    record BackupStatus(String phase) {
    }

    @Kind(group = "example.com", version = "v1", scope = Kind.Scope.CLUSTER, statusSubresource = false)
    @Scale
    record Policy(ObjectMeta metadata, Map<String, String> spec, Void status) implements CustomResource<Map<String, String>, Void> {
    }

    record NotAnnotated(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
    }

    @Test
    void theResourceTypeIsDerivedFromTheAnnotation() {
        ResourceType<Backup> type = ResourceTypes.of(Backup.class);
        assertThat(type.apiVersion()).isEqualTo("example.com/v1alpha1");
        assertThat(type.kind()).isEqualTo("Backup");
        assertThat(type.plural()).isEqualTo("backups");
        assertThat(type.singular()).isEqualTo("backup");
        assertThat(type.namespaced()).isTrue();
        assertThat(type.shortNames()).containsExactly("bk");
        assertThat(type.subresources()).containsExactly("status");
        assertThat(ResourceTypes.of(Backup.class)).isSameAs(type);

        ResourceType<Policy> policy = ResourceTypes.of(Policy.class);
        assertThat(policy.plural()).isEqualTo("policies");
        assertThat(policy.namespaced()).isFalse();
        assertThat(policy.subresources()).containsExactly("scale");
    }

    @Test
    void pluralsFollowEnglishRules() {
        assertThat(CustomResources.pluralOf("Ingress")).isEqualTo("ingresses");
        assertThat(CustomResources.pluralOf("Patch")).isEqualTo("patches");
        assertThat(CustomResources.pluralOf("Gateway")).isEqualTo("gateways");
        assertThat(CustomResources.pluralOf("Box")).isEqualTo("boxes");
    }

    @Test
    void aTypeWithoutKindFailsNamingTheFix() {
        assertThatThrownBy(() -> ResourceTypes.of(NotAnnotated.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(NotAnnotated.class.getName())
                .hasMessageContaining("@Kind(group =")
                .hasMessageContaining("it has no @Kind annotation");
    }

    @Test
    @SuppressWarnings("unchecked")
    void apiVersionAndKindAreWrittenAndUnknownFieldsSurviveARoundTrip() throws Exception {
        String json = """
                {"apiVersion":"example.com/v1alpha1","kind":"Backup","metadata":{"name":"nightly"},
                 "spec":{"schedule":"@daily","retention":{"days":7},"targets":[{"bucket":"b","region":"eu"}]},
                 "status":{"phase":"Ok","lastRun":"yesterday"},"topLevel":1}""";
        Backup backup = Json.mapper().readValue(json, Backup.class);
        assertThat(backup.spec().schedule()).isEqualTo("@daily");
        assertThat(UnknownFields.of(backup.spec())).containsEntry("retention", Map.of("days", 7));

        Backup renamed = (Backup) backup.withMetadata(backup.metadata().toBuilder().label("a", "b").build());
        Map<String, Object> written = read(Json.mapper().writeValueAsString(renamed));
        assertThat(written.get("apiVersion")).isEqualTo("example.com/v1alpha1");
        assertThat(written.get("kind")).isEqualTo("Backup");
        assertThat(written.get("topLevel")).isEqualTo(1);
        assertThat((Map<String, Object>) written.get("spec")).containsEntry("retention", Map.of("days", 7))
                .containsEntry("targets", List.of(Map.of("bucket", "b", "region", "eu")));
        assertThat((Map<String, Object>) written.get("status")).containsEntry("lastRun", "yesterday");
        assertThat(List.copyOf(written.keySet())).startsWith("apiVersion", "kind", "metadata", "spec", "status");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRecordBuiltByItsConstructorHasNoUnknownFields() throws Exception {
        KubeObject fresh = new Backup(ObjectMeta.builder().name("a").build(), new BackupSpec("@hourly", 3, null), null);
        Map<String, Object> written = read(Json.mapper().writeValueAsString(fresh));
        assertThat(written).containsOnlyKeys("apiVersion", "kind", "metadata", "spec");
        assertThat((Map<String, Object>) written.get("spec")).isEqualTo(Map.of("schedule", "@hourly", "keep", 3));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String json) throws Exception {
        return Json.mapper().readValue(json, Map.class);
    }
}
