package io.kardia.crd.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Yaml;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Secret;
import io.kardia.crd.generator.sample.Widget;
import io.kardia.crd.generator.sample.WidgetBuilder;
import io.kardia.crd.generator.sample.WidgetSpecBuilder;
import io.kardia.crd.generator.sample.WidgetStatusBuilder;
import io.kardia.runtime.Result;
import io.kardia.runtime.crd.Crds;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RBAC manifest generated from {@code @Rbac} and {@code @KardiaController} is exactly enough to run the operator. */
class GeneratedRbacTest {

    private static String generatedRbac() throws Exception {
        try (InputStream in = GeneratedRbacTest.class.getClassLoader().getResourceAsStream(RbacCollector.RESOURCE)) {
            assertThat(in).as("the RBAC manifest generated from the sample operator").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    @KardiaTest(rbac = true)
    void theOperatorRunsAsItsServiceAccountWithTheGeneratedRbacAndNoMore(TestEnvironment env) throws Exception {
        Crds.ensureInstalled(env.client(), Widget.class); // the cluster admin installs the CRD
        env.createNamespace("shop");
        env.apply(generatedRbac().replace("namespace: default", "namespace: shop"));
        env.startManagerAs("shop", "operator", m -> {
            ResourceClient<Widget> widgets = m.apiClient().resources(Widget.class);
            ResourceClient<ConfigMap> configMaps = m.apiClient().resources(ConfigMap.class);
            m.newController().named("widgets").forKind(Widget.class).owns(ConfigMap.class).complete(widget -> {
                if (configMaps.find("shop", widget.metadata().name()).isEmpty()) {
                    configMaps.create(ConfigMap.of(ObjectMeta.builder().namespace("shop").name(widget.metadata().name())
                            .ownerReference(OwnerReference.controllerOf(widget)).build(),
                            Map.of("color", widget.spec().color())));
                }
                widgets.updateStatus(widget.withStatus(WidgetStatusBuilder.builder()
                        .observedColor(widget.spec().color()).build()));
                return Result.done();
            });
        });
        env.client().resources(Widget.class).create(WidgetBuilder.builder()
                .metadata(ObjectMeta.builder().namespace("shop").name("w").build())
                .spec(WidgetSpecBuilder.builder().color("red").build()).build());
        env.awaitObject(Widget.class, "shop", "w", w -> w.status() != null && "red".equals(w.status().observedColor()));
        env.awaitObject(ConfigMap.class, "shop", "w", cm -> "red".equals(cm.data().get("color")));

        // Nothing beyond what was declared: the account may not read Secrets.
        var asOperator = env.serviceAccountClient("shop", "operator");
        assertThatThrownBy(() -> asOperator.resources(Secret.class).list("shop"))
                .isInstanceOf(KubeApiException.ForbiddenException.class);
    }

    @Test
    void kardiaControllerAndRbacRulesBecomeOneRolePerOptions(@TempDir Path dir) throws Exception {
        Compilation result = Compilation.compile(dir, Map.of("demo.Things", """
                package demo;
                import io.kardia.core.model.*;
                import io.kardia.runtime.*;
                import io.kardia.runtime.micronaut.KardiaController;
                import io.kardia.runtime.rbac.Rbac;
                @KardiaController(forKind = Deployment.class, owns = {Pod.class, ConfigMap.class})
                @Rbac(apiGroups = "", resources = "secrets", verbs = {"get", "list"})
                class Things implements TypedReconciler<Deployment> {
                    public Result reconcile(Deployment d) { return Result.done(); }
                }
                """), List.of("-Akardia.rbac.name=things-operator", "-Akardia.rbac.namespace=ops",
                "-Akardia.rbac.roleNamespace=ops"));
        assertThat(result.errors()).isEmpty();
        List<JsonNode> docs = Yaml.trees(java.nio.file.Files.readString(dir.resolve(RbacCollector.RESOURCE)));
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactly("ServiceAccount", "Role", "RoleBinding");
        assertThat(docs.get(0).at("/metadata/namespace").asText()).isEqualTo("ops");
        JsonNode rules = docs.get(1).path("rules");
        assertThat(rules.toString())
                .contains("{\"apiGroups\":[\"apps\"],\"resources\":[\"deployments\"],\"verbs\":[\"get\",\"list\",\"patch\",\"update\",\"watch\"]}")
                .contains("\"deployments/status\"")
                .contains("{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\",\"pods\"],\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}")
                .contains("{\"apiGroups\":[\"\"],\"resources\":[\"secrets\"],\"verbs\":[\"get\",\"list\"]}")
                .contains("\"leases\"");
        assertThat(docs.get(2).at("/roleRef/name").asText()).isEqualTo("things-operator");
        assertThat(docs.get(2).at("/subjects/0/namespace").asText()).isEqualTo("ops");
    }

    @Test
    void aKindTheGeneratorCannotResolveFailsNamingTheFix(@TempDir Path dir) throws Exception {
        Compilation result = Compilation.compile(dir, Map.of("demo.Odd", """
                package demo;
                import io.kardia.runtime.rbac.Rbac;
                @Rbac(owns = Odd.Unknown.class)
                class Odd {
                    record Unknown(io.kardia.core.model.ObjectMeta metadata) implements io.kardia.core.model.KubeObject {
                        public String apiVersion() { return "v1"; }
                        public String kind() { return "Unknown"; }
                        public io.kardia.core.model.KubeObject withMetadata(io.kardia.core.model.ObjectMeta m) { return this; }
                    }
                }
                """));
        assertThat(result.success()).isFalse();
        assertThat(result.errors()).anySatisfy(e -> assertThat(e).contains("demo.Odd.Unknown").contains("@Rbac(apiGroups"));
    }
}
