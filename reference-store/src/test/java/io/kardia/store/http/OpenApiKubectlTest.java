package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI documents, read by the real kubectl: {@code explain} of a built-in kind and of a
 * custom resource, and kubectl's default {@code --validate=strict} answered by the server.
 */
class OpenApiKubectlTest {
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.shop.example.com}
            spec:
              group: shop.example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList, categories: [all]}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        description: What the widget should be.
                        properties:
                          size: {type: integer, description: How big the widget is.}
                          color: {type: string}
            """;

    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "OpenAPI with kubectl");
        kubectl.run("apply", "-f", write("crd.yaml", CRD).toString());
    }

    @AfterAll
    static void stop() {
        if (kubectl != null) {
            kubectl.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void explainABuiltInKindsNestedField() throws Exception {
        Result r = kubectl.run("explain", "deployment.spec.strategy");
        assertThat(r.stdout()).contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1",
                "FIELD: strategy <DeploymentStrategy>", "rollingUpdate", "type\t<string>",
                "DeploymentStrategy describes how to replace existing pods with new ones.",
                "Type of deployment. Can be \"Recreate\" or \"RollingUpdate\".", "Spec to control the desired behavior of rolling update.");
        assertThat(kubectl.run("explain", "statefulsets.spec.serviceName").stdout())
                .contains("serviceName is the name of the service that governs this StatefulSet.");
        assertThat(kubectl.run("explain", "pods.spec.containers").stdout()).contains("name\t<string> -required-");
        assertThat(kubectl.run("explain", "statefulsets.spec").stdout()).contains("serviceName\t<string>",
                "volumeClaimTemplates\t<[]PersistentVolumeClaim>");
        assertThat(kubectl.run("explain", "pods.spec.containers.resources").stdout()).contains("limits\t<map[string]Quantity>");
    }

    @Test
    void explainACustomResourceWithItsSchemasDescriptions() throws Exception {
        Result r = kubectl.run("explain", "widget.spec");
        assertThat(r.stdout()).contains("KIND:       Widget", "What the widget should be.", "size\t<integer>",
                "How big the widget is.", "color\t<string>");
    }

    @Test
    void openApiV2AndV3DocumentsNameEveryKindByGroupVersionKind() throws Exception {
        JsonNode index = Json.tree(kubectl.run("get", "--raw", "/openapi/v3").stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(index.path("paths").has("apis/apps/v1")).isTrue();
        assertThat(index.path("paths").has("apis/shop.example.com/v1")).isTrue();
        JsonNode apps = Json.tree(kubectl.run("get", "--raw", "/openapi/v3/apis/apps/v1").stdout().getBytes(StandardCharsets.UTF_8));
        JsonNode sts = apps.path("components").path("schemas").path("io.k8s.api.apps.v1.StatefulSet");
        assertThat(sts.path("x-kubernetes-group-version-kind").get(0).path("kind").asText()).isEqualTo("StatefulSet");
        assertThat(apps.path("paths").path("/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}").path("patch")
                .path("parameters").findValuesAsText("name")).contains("fieldValidation");
        JsonNode v2 = Json.tree(kubectl.run("get", "--raw", "/openapi/v2").stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(v2.path("definitions").path("io.k8s.api.core.v1.Service").path("properties").has("spec")).isTrue();
        assertThat(v2.path("definitions").path("com.example.shop.v1.Widget").path("x-kubernetes-group-version-kind")
                .get(0).path("group").asText()).isEqualTo("shop.example.com");
    }

    /** The documents publish the release's merge markers as kube-apiserver does (kubectl's client-side apply reads them). */
    @Test
    void openApiDocumentsCarryTheReleasesMergeMarkers() throws Exception {
        JsonNode apps = Json.tree(kubectl.run("get", "--raw", "/openapi/v3/apis/apps/v1").stdout().getBytes(StandardCharsets.UTF_8));
        JsonNode schemas = apps.path("components").path("schemas");
        JsonNode containers = schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("containers");
        assertThat(containers.path("x-kubernetes-list-type").asText()).isEqualTo("map");
        assertThat(containers.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"name\"]");
        assertThat(containers.path("x-kubernetes-patch-strategy").asText()).isEqualTo("merge");
        assertThat(containers.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("name");
        assertThat(schemas.path("io.k8s.api.core.v1.PodSpec").path("properties").path("nodeSelector")
                .path("x-kubernetes-map-type").asText()).isEqualTo("atomic");
        assertThat(schemas.path("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector").path("x-kubernetes-map-type").asText())
                .isEqualTo("atomic");
        assertThat(schemas.path("io.k8s.api.core.v1.ContainerPort").path("properties").path("protocol").path("default").asText())
                .isEqualTo("TCP");
        JsonNode v2 = Json.tree(kubectl.run("get", "--raw", "/openapi/v2").stdout().getBytes(StandardCharsets.UTF_8));
        JsonNode ports = v2.path("definitions").path("io.k8s.api.core.v1.ServiceSpec").path("properties").path("ports");
        assertThat(ports.path("x-kubernetes-list-map-keys").toString()).isEqualTo("[\"port\",\"protocol\"]");
        assertThat(ports.path("x-kubernetes-patch-merge-key").asText()).isEqualTo("port");
        assertThat(v2.path("definitions").path("io.k8s.api.batch.v1.JobStatus").path("properties").path("conditions")
                .path("x-kubernetes-list-type").asText()).isEqualTo("atomic");
    }

    /**
     * kubectl's client-side apply finds {@code application/strategic-merge-patch+json} on the kind's
     * PATCH in {@code /openapi/v3} and computes the strategic merge patch from the document's patch
     * strategies, as against kube-apiserver (no {@code /openapi/v2}, no compiled-in types): a
     * container removed from the manifest is removed from the Deployment, one changed is merged by name.
     */
    @Test
    void clientSideApplyMergesContainersByNameFromTheOpenApiV3PatchStrategies() throws Exception {
        String manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: twin, namespace: default}
                spec:
                  selector: {matchLabels: {app: twin}}
                  template:
                    metadata: {labels: {app: twin}}
                    spec: {containers: [%s]}
                """;
        Path first = write("twin-1.yaml", manifest.formatted("{name: a, image: nginx}, {name: b, image: busybox}"));
        kubectl.run("apply", "-f", first.toString());
        Path second = write("twin-2.yaml", manifest.formatted("{name: b, image: busybox:2}"));
        Result applied = kubectl.run("apply", "-v=6", "-f", second.toString());
        assertThat(applied.stderr()).contains("/openapi/v3/apis/apps/v1?hash=", "PATCH")
                .doesNotContain("/openapi/v2", "error calculating patch");
        assertThat(kubectl.run("get", "deployment", "twin", "-o",
                "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image} {end}").stdout().strip())
                .isEqualTo("b=busybox:2");
    }

    /** The same for kinds whose merge keys come through their types: a StatefulSet's containers, a Service's ports. */
    @Test
    void clientSideApplyMergesAStatefulSetsContainersAndAServicesPortsByKey() throws Exception {
        String statefulSet = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: default}
                spec:
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec: {containers: [{name: c, image: nginx, env: [{name: A, value: "1"}]}, {name: d, image: %s}]}
                """;
        kubectl.run("apply", "-f", write("db-1.yaml", statefulSet.formatted("busybox")).toString());
        kubectl.run("apply", "-f", write("db-2.yaml", statefulSet.formatted("busybox:2")).toString());
        assertThat(kubectl.run("get", "statefulset", "db", "-o",
                "jsonpath={range .spec.template.spec.containers[*]}{.name}={.image}{.env[0].name} {end}").stdout().strip())
                .isEqualTo("c=nginxA d=busybox:2");

        String service = """
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: default}
                spec:
                  selector: {app: db}
                  ports: [{name: a, port: 80}, {name: b, port: %d}]
                """;
        kubectl.run("apply", "-f", write("svc-1.yaml", service.formatted(81)).toString());
        kubectl.run("apply", "-f", write("svc-2.yaml", service.formatted(82)).toString());
        assertThat(kubectl.run("get", "service", "db", "-o", "jsonpath={range .spec.ports[*]}{.name}={.port} {end}").stdout().strip())
                .isEqualTo("a=80 b=82");
    }

    @Test
    void strictFieldValidationRefusesUnknownFieldsOfBuiltInsAndCustomResources() throws Exception {
        Path deployment = write("bad-deploy.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad, namespace: default}
                spec:
                  replicas: 1
                  replica: 2
                  selector: {matchLabels: {app: bad}}
                  template:
                    metadata: {labels: {app: bad}}
                    spec: {containers: [{name: c, image: busybox, imagePullPolice: Always}]}
                """);
        Result refused = kubectl.run(List.of(1), "apply", "-f", deployment.toString());
        assertThat(refused.stderr()).contains("strict decoding error", "unknown field \"spec.replica\"",
                "unknown field \"spec.template.spec.containers[0].imagePullPolice\"");
        assertThat(kubectl.run(List.of(1), "get", "deployment", "bad").stderr()).contains("NotFound");

        Path widget = write("bad-widget.yaml", """
                apiVersion: shop.example.com/v1
                kind: Widget
                metadata: {name: w, namespace: default}
                spec: {size: 3, colour: red}
                """);
        assertThat(kubectl.run(List.of(1), "apply", "-f", widget.toString()).stderr())
                .contains("strict decoding error", "unknown field \"spec.colour\"");

        Result warned = kubectl.run("apply", "--validate=warn", "-f", widget.toString());
        assertThat(warned.stdout()).contains("widget.shop.example.com/w created");
        assertThat(warned.stderr()).contains("Warning: unknown field \"spec.colour\"");
        assertThat(kubectl.run("get", "widget", "w", "-o", "jsonpath={.spec}").stdout()).doesNotContain("colour");
    }

    private static Path write(String name, String content) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }
}
