package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl's server-side apply against the store: {@code apply --server-side}, {@code --force-conflicts}, {@code diff}. */
class KubectlServerSideApplyTest {
    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;

    private String ns;

    @BeforeAll
    static void start() throws Exception {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "kubectl server-side apply");
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

    @BeforeEach
    void namespace() {
        ns = "s-" + UUID.randomUUID().toString().substring(0, 8);
        store.create(ResourceTypes.NAMESPACE, null, (ObjectNode) Json.tree(("{\"metadata\":{\"name\":\"" + ns + "\"}}")
                .getBytes(StandardCharsets.UTF_8)), null);
    }

    @Test
    void applyServerSideThenConflictThenForce() throws Exception {
        Result created = kubectl.run("apply", "--server-side", "-n", ns, "-f", manifest("a.yaml", deploymentYaml(2, "nginx:1.27")));
        assertThat(created.stdout()).contains("deployment.apps/web serverside-applied");
        String yaml = kubectl.run("get", "deployment", "web", "-n", ns, "-o", "yaml", "--show-managed-fields").stdout();
        assertThat(yaml).contains("manager: kubectl", "operation: Apply", "fieldsType: FieldsV1", "f:replicas: {}",
                "k:{\"name\":\"nginx\"}:");

        Result conflict = kubectl.run(List.of(1), "apply", "--server-side", "--field-manager=ci", "-n", ns, "-f",
                manifest("b.yaml", deploymentYaml(4, "nginx:1.27")));
        assertThat(conflict.stderr()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas");
        assertThat(replicas()).isEqualTo(2);

        kubectl.run("apply", "--server-side", "--force-conflicts", "--field-manager=ci", "-n", ns, "-f",
                manifest("c.yaml", deploymentYaml(4, "nginx:1.27")));
        assertThat(replicas()).isEqualTo(4);
        JsonNode managed = Json.tree(kubectl.run("get", "deployment", "web", "-n", ns, "-o", "json", "--show-managed-fields")
                .stdout().getBytes(StandardCharsets.UTF_8)).path("metadata").path("managedFields");
        assertThat(managed).anySatisfy(e -> {
            assertThat(e.path("manager").asText()).isEqualTo("ci");
            assertThat(e.path("fieldsV1").toString()).contains("f:replicas");
        });
        assertThat(managed).allSatisfy(e -> {
            if (e.path("manager").asText().equals("kubectl")) {
                assertThat(e.path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
            }
        });
    }

    @Test
    void diffShowsWhatAnApplyWouldChangeAndChangesNothing() throws Exception {
        kubectl.run("apply", "--server-side", "-n", ns, "-f", manifest("a.yaml", deploymentYaml(2, "nginx:1.27")));
        String rv = resourceVersion();
        Result diff = kubectl.run(List.of(1), "diff", "--server-side", "-n", ns, "-f",
                manifest("b.yaml", deploymentYaml(2, "nginx:1.28")));
        assertThat(diff.stdout()).contains("-      - image: nginx:1.27", "+      - image: nginx:1.28");
        assertThat(resourceVersion()).isEqualTo(rv);
        Result none = kubectl.run(List.of(0), "diff", "--server-side", "-n", ns, "-f",
                manifest("c.yaml", deploymentYaml(2, "nginx:1.27")));
        assertThat(none.stdout()).isEmpty();
    }

    @Test
    void serverSideApplyAfterClientSideApplyTakesTheFieldsOver() throws Exception {
        assertThat(kubectl.run("apply", "-n", ns, "-f", manifest("a.yaml", deploymentYaml(2, "nginx:1.27"))).stdout())
                .contains("deployment.apps/web created");
        Result upgraded = kubectl.run("apply", "--server-side", "-n", ns, "-f", manifest("b.yaml", deploymentYaml(3, "nginx:1.27")));
        assertThat(upgraded.stdout()).contains("serverside-applied");
        assertThat(replicas()).isEqualTo(3);
        JsonNode d = Json.tree(kubectl.run("get", "deployment", "web", "-n", ns, "-o", "json", "--show-managed-fields")
                .stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(d.path("metadata").path("annotations").path("kubectl.kubernetes.io/last-applied-configuration").asText())
                .contains("\"replicas\":3");
        assertThat(d.path("metadata").path("managedFields")).anySatisfy(e -> {
            assertThat(e.path("manager").asText()).isEqualTo("kubectl");
            assertThat(e.path("operation").asText()).isEqualTo("Apply");
        });
    }

    private int replicas() throws Exception {
        return Integer.parseInt(kubectl.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}").stdout().strip());
    }

    private String resourceVersion() throws Exception {
        return kubectl.run("get", "deployment", "web", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}").stdout().strip();
    }

    private String manifest(String name, String content) throws Exception {
        Path f = dir.resolve(ns + "-" + name);
        Files.writeString(f, content);
        return f.toString();
    }

    private static String deploymentYaml(int replicas, String image) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels: {app: web}
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: nginx
                        image: %s
                        ports:
                        - containerPort: 80
                """.formatted(replicas, image);
    }
}
