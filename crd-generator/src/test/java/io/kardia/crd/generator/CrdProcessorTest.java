package io.kardia.crd.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Yaml;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrdProcessorTest {
    private static final String IMPORTS = """
            package demo;
            import io.kardia.core.crd.*;
            import io.kardia.core.model.ObjectMeta;
            import io.kardia.core.model.IntOrString;
            import jakarta.validation.constraints.*;
            import java.util.*;
            """;

    @TempDir
    Path out;

    @Test
    void generatesAStructuralSchemaWithConstraintsRulesColumnsAndSubresources() throws Exception {
        Compilation result = Compilation.compile(out, Map.of("demo.Backup", IMPORTS + """
                @Kind(group = "example.com", version = "v1alpha1", shortNames = "bk", categories = "all")
                @PrinterColumn(name = "Schedule", jsonPath = ".spec.schedule")
                @PrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = "date", priority = 1)
                @Scale(specReplicasPath = ".spec.keep", statusReplicasPath = ".status.kept")
                public record Backup(ObjectMeta metadata, Spec spec, Status status)
                        implements CustomResource<Backup.Spec, Backup.Status>, BackupBuilder.With {
                    public enum Mode { Full, Incremental }

                    @Validation(rule = "!has(self.keep) || self.keep <= 30", message = "keep at most 30")
                    public record Spec(
                            @NotNull @Pattern(regexp = "^@(daily|hourly)$") String schedule,
                            @Min(1) @Max(30) @Default("7") Integer keep,
                            @Default("Full") Mode mode,
                            @ListType(value = "map", keys = "name") List<Target> targets,
                            Set<String> tags,
                            @Size(max = 10) Map<String, String> labels,
                            IntOrString port,
                            @Nullable String note,
                            @PreserveUnknownFields Map<String, Object> settings) implements BackupSpecBuilder.With {
                    }

                    public record Target(@Required @Size(min = 1, max = 63) String name, @Positive long sizeLimit) {
                    }

                    public record Status(Integer kept, java.time.Instant lastRun) {
                    }
                }
                """, "demo.Use", """
                package demo;
                class Use {
                    static Backup.Spec change(Backup.Spec spec) {
                        return spec.withKeep(3).withNote("n").toBuilder().schedule("@hourly").build();
                    }
                    static Backup.Status fresh() {
                        return BackupStatusBuilder.builder().kept(2).build();
                    }
                }
                """));
        assertThat(result.errors()).isEmpty();
        assertThat(result.success()).isTrue();

        JsonNode crd = Yaml.tree(result.crd("backups.example.com"));
        assertThat(crd.at("/metadata/name").asText()).isEqualTo("backups.example.com");
        assertThat(crd.at("/spec/names/kind").asText()).isEqualTo("Backup");
        assertThat(crd.at("/spec/names/singular").asText()).isEqualTo("backup");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("bk");
        assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("all");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        JsonNode version = crd.at("/spec/versions/0");
        assertThat(version.at("/name").asText()).isEqualTo("v1alpha1");
        assertThat(version.at("/storage").asBoolean()).isTrue();
        assertThat(version.at("/subresources/status").isObject()).isTrue();
        assertThat(version.at("/subresources/scale/specReplicasPath").asText()).isEqualTo(".spec.keep");
        assertThat(version.at("/additionalPrinterColumns/0/name").asText()).isEqualTo("Schedule");
        assertThat(version.at("/additionalPrinterColumns/1/priority").asInt()).isEqualTo(1);

        JsonNode root = version.at("/schema/openAPIV3Schema");
        assertThat(root.at("/properties/apiVersion/type").asText()).isEqualTo("string");
        assertThat(root.at("/properties/metadata/type").asText()).isEqualTo("object");
        JsonNode spec = root.at("/properties/spec");
        assertThat(spec.at("/required/0").asText()).isEqualTo("schedule");
        assertThat(spec.at("/x-kubernetes-validations/0/rule").asText()).isEqualTo("!has(self.keep) || self.keep <= 30");
        assertThat(spec.at("/x-kubernetes-validations/0/message").asText()).isEqualTo("keep at most 30");
        JsonNode p = spec.at("/properties");
        assertThat(p.at("/schedule/pattern").asText()).isEqualTo("^@(daily|hourly)$");
        assertThat(p.at("/keep/type").asText()).isEqualTo("integer");
        assertThat(p.at("/keep/minimum").asInt()).isEqualTo(1);
        assertThat(p.at("/keep/maximum").asInt()).isEqualTo(30);
        assertThat(p.at("/keep/default").asInt()).isEqualTo(7);
        assertThat(p.at("/mode/enum").toString()).isEqualTo("[\"Full\",\"Incremental\"]");
        assertThat(p.at("/mode/default").asText()).isEqualTo("Full");
        assertThat(p.at("/targets/x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(p.at("/targets/x-kubernetes-list-map-keys/0").asText()).isEqualTo("name");
        assertThat(p.at("/targets/items/required/0").asText()).isEqualTo("name");
        assertThat(p.at("/targets/items/properties/name/maxLength").asInt()).isEqualTo(63);
        assertThat(p.at("/targets/items/properties/sizeLimit/format").asText()).isEqualTo("int64");
        assertThat(p.at("/targets/items/properties/sizeLimit/exclusiveMinimum").asBoolean()).isTrue();
        assertThat(p.at("/tags/x-kubernetes-list-type").asText()).isEqualTo("set");
        assertThat(p.at("/labels/maxProperties").asInt()).isEqualTo(10);
        assertThat(p.at("/labels/additionalProperties/type").asText()).isEqualTo("string");
        assertThat(p.at("/port/x-kubernetes-int-or-string").asBoolean()).isTrue();
        assertThat(p.at("/note/nullable").asBoolean()).isTrue();
        assertThat(p.at("/settings/x-kubernetes-preserve-unknown-fields").asBoolean()).isTrue();
        assertThat(p.at("/schedule/x-kubernetes-preserve-unknown-fields").isMissingNode()).isTrue();
        assertThat(root.at("/properties/status/properties/lastRun/format").asText()).isEqualTo("date-time");
    }

    /** Each case: a spec record declaration, the type/field the error must name, and what it must say. */
    private static final List<List<String>> BAD = List.of(
            List.of("record Spec(String name, List<Spec> children) {}", ".Spec.children", "unbounded recursive type"),
            List.of("record Spec(Map<Integer, String> byPort) {}", ".Spec.byPort", "not Strings"),
            List.of("record Spec(@Min(5) @Max(1) Integer replicas) {}", ".Spec.replicas", "conflicting constraints"),
            List.of("record Spec(@Pattern(regexp = \"a\") Integer replicas) {}", ".Spec.replicas", "pattern applies to strings"),
            List.of("record Spec(@Min(1) @PositiveOrZero Integer replicas) {}", ".Spec.replicas", "conflicting constraints"),
            List.of("record Spec(@Max(3) @Default(\"9\") Integer replicas) {}", ".Spec.replicas", "above maximum"),
            List.of("record Spec(Map<String, Object> settings) {}", ".Spec.settings", "@PreserveUnknownFields"),
            List.of("record Spec(Thread worker) {}", ".Spec.worker", "no CRD schema for type"),
            List.of("@Validation(rule = \"self.replicas >\") record Spec(Integer replicas) {}", ".Spec)", "compil"),
            List.of("@Validation(rule = \"self.replica > 1\") record Spec(Integer replicas) {}", ".Spec)", "replica"));

    @Test
    void badInputFailsTheBuildNamingTypeAndField() throws Exception {
        Map<String, String> sources = new java.util.LinkedHashMap<>();
        for (int i = 0; i < BAD.size(); i++) {
            sources.put("demo.Bad" + i, IMPORTS + """
                    @Kind(group = "example.com", version = "v1")
                    public record Bad%d(ObjectMeta metadata, Spec spec, Map<String, String> status)
                            implements CustomResource<Bad%d.Spec, Map<String, String>> {
                        %s
                    }
                    """.formatted(i, i, BAD.get(i).get(0)));
        }
        Compilation result = Compilation.compile(out, sources); // one compiler run for all: fast
        assertThat(result.success()).isFalse();
        org.assertj.core.api.SoftAssertions.assertSoftly(soft -> {
            for (int i = 0; i < BAD.size(); i++) {
                String names = "Bad" + i + BAD.get(i).get(1);
                String says = BAD.get(i).get(2);
                soft.assertThat(result.errors()).as(BAD.get(i).get(0))
                        .anySatisfy(e -> assertThat(e).contains(names).contains(says));
            }
        });
    }

    @Test
    void recordsOfOneKindInSeveralVersionsMakeOneCrdWithOneStorageVersion() throws Exception {
        Compilation result = Compilation.compile(out, Map.of("demo.Backup", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                public record Backup(ObjectMeta metadata, Map<String, String> spec, Map<String, String> status)
                        implements CustomResource<Map<String, String>, Map<String, String>> {
                }
                """, "demo.BackupV1alpha1", IMPORTS + """
                @Kind(group = "example.com", version = "v1alpha1", kind = "Backup", storage = false)
                public record BackupV1alpha1(ObjectMeta metadata, Map<String, Integer> spec, Map<String, String> status)
                        implements CustomResource<Map<String, Integer>, Map<String, String>> {
                }
                """, "demo.Clash", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                public record Clash(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """, "demo.ClashV2", IMPORTS + """
                @Kind(group = "example.com", version = "v2", kind = "Clash")
                public record ClashV2(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """));
        assertThat(result.errors()).singleElement().asString()
                .contains("clashes.example.com needs exactly one storage version")
                .contains("Clash (v1)").contains("ClashV2 (v2)").contains("storage = false");
        JsonNode crd = Yaml.tree(result.crd("backups.example.com"));
        assertThat(crd.at("/spec/versions").size()).isEqualTo(2);
        assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1");
        assertThat(crd.at("/spec/versions/0/storage").asBoolean()).isTrue();
        assertThat(crd.at("/spec/versions/1/name").asText()).isEqualTo("v1alpha1");
        assertThat(crd.at("/spec/versions/1/storage").asBoolean()).isFalse();
        assertThat(crd.at("/spec/versions/1/schema/openAPIV3Schema/properties/spec/additionalProperties/type").asText())
                .isEqualTo("integer");
    }

    @Test
    void aKindWithAConversionWebhookGetsSpecConversionCallingTheOperatorsService() throws Exception {
        Compilation result = Compilation.compile(out, Map.of("demo.Backup", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                @ConversionWebhook
                public record Backup(ObjectMeta metadata, Map<String, String> spec, Map<String, String> status)
                        implements CustomResource<Map<String, String>, Map<String, String>> {
                }
                """, "demo.BackupV1alpha1", IMPORTS + """
                @Kind(group = "example.com", version = "v1alpha1", kind = "Backup", storage = false)
                public record BackupV1alpha1(ObjectMeta metadata, Map<String, Integer> spec, Map<String, String> status)
                        implements CustomResource<Map<String, Integer>, Map<String, String>> {
                }
                """, "demo.Restore", IMPORTS + """
                @Kind(group = "example.com", version = "v2")
                @ConversionWebhook(service = "conversions", namespace = "infra", port = 9443, certificate = "pki/conversions-cert")
                public record Restore(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """, "demo.RestoreV1", IMPORTS + """
                @Kind(group = "example.com", version = "v1", kind = "Restore", storage = false)
                public record RestoreV1(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """), List.of("-Akardia.rbac.name=backup-operator", "-Akardia.rbac.namespace=ops"));
        assertThat(result.errors()).isEmpty();
        JsonNode backups = Yaml.tree(result.crd("backups.example.com"));
        assertThat(backups.at("/spec/conversion/strategy").asText()).isEqualTo("Webhook");
        assertThat(backups.at("/spec/conversion/webhook/conversionReviewVersions").toString()).isEqualTo("[\"v1\"]");
        JsonNode service = backups.at("/spec/conversion/webhook/clientConfig/service");
        assertThat(service.path("name").asText()).isEqualTo("backup-operator-webhook");
        assertThat(service.path("namespace").asText()).isEqualTo("ops");
        assertThat(service.path("path").asText()).isEqualTo("/convert");
        assertThat(service.path("port").asInt()).isEqualTo(443);
        // cert-manager's CA injector writes the caBundle from the archetype's Certificate.
        assertThat(backups.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").asText())
                .isEqualTo("ops/backup-operator-serving-cert");
        JsonNode restoreCrd = Yaml.tree(result.crd("restores.example.com"));
        JsonNode restores = restoreCrd.at("/spec/conversion/webhook/clientConfig/service");
        assertThat(restores.path("name").asText()).isEqualTo("conversions");
        assertThat(restores.path("namespace").asText()).isEqualTo("infra");
        assertThat(restores.path("port").asInt()).isEqualTo(9443);
        assertThat(restoreCrd.at("/metadata/annotations").path("cert-manager.io/inject-ca-from").asText())
                .isEqualTo("pki/conversions-cert");
    }

    @Test
    void aConversionWebhookOnASingleVersionOrOnTwoVersionsFailsTheBuild() throws Exception {
        Compilation single = Compilation.compile(out.resolve("single"), Map.of("demo.Lone", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                @ConversionWebhook
                public record Lone(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """));
        assertThat(single.errors()).singleElement().asString().contains("Lone")
                .contains("single version: there is nothing to convert");

        Compilation twice = Compilation.compile(out.resolve("twice"), Map.of("demo.Pair", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                @ConversionWebhook
                public record Pair(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """, "demo.PairV2", IMPORTS + """
                @Kind(group = "example.com", version = "v2", kind = "Pair", storage = false)
                @ConversionWebhook
                public record PairV2(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """));
        assertThat(twice.errors()).singleElement().asString().contains("pairs.example.com")
                .contains("declare it on one version only");
        assertThat(twice.output().resolve("META-INF/kardia/crds/pairs.example.com.yaml")).doesNotExist();

        Compilation badCertificate = Compilation.compile(out.resolve("certificate"), Map.of("demo.Pair", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                @ConversionWebhook(certificate = "serving-cert")
                public record Pair(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """, "demo.PairV2", IMPORTS + """
                @Kind(group = "example.com", version = "v2", kind = "Pair", storage = false)
                public record PairV2(ObjectMeta metadata, String spec, String status) implements CustomResource<String, String> {
                }
                """));
        assertThat(badCertificate.errors()).singleElement().asString().contains("Pair")
                .contains("certificate = \"serving-cert\"").contains("is not namespace/name");
    }

    @Test
    void aKindThatIsNotACustomResourceFails() throws Exception {
        Compilation result = Compilation.compile(out, Map.of("demo.Plain", IMPORTS + """
                @Kind(group = "example.com", version = "v1")
                public record Plain(ObjectMeta metadata, String spec) {
                }
                """));
        assertThat(result.success()).isFalse();
        assertThat(result.errors()).anySatisfy(e -> assertThat(e).contains("Plain").contains("implement CustomResource"));
    }
}
