package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import io.kardia.store.StoredObject;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the real {@code kubectl} binary against a live {@link ApiServer} with TLS and the
 * kubeconfig the server writes, as a user would. Skipped (with the reason) when no kubectl is on
 * the PATH. Commands stay within what kubectl 1.20 (Debian's kubernetes-client) also understands.
 */
class KubectlCompatibilityTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Stream readers get their own threads: the common pool may have a single worker on 2 cores. */
    private static final java.util.concurrent.ExecutorService IO = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;

    private String ns;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "kubectl compatibility tests");
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
        ns = "k-" + UUID.randomUUID().toString().substring(0, 8);
        store.create(ResourceTypes.NAMESPACE, null, tree("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
                + ns + "\"}}"), null);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void getNamespacesWithTheWrittenKubeconfig() throws Exception {
        Result r = run("get", "ns", "-o", "name");
        assertThat(r.stdout()).contains("namespace/default", "namespace/kube-system", "namespace/" + ns);
    }

    @Test
    void apiResourcesAndDescribe() throws Exception {
        List<String> resources = run("api-resources").stdout().lines().map(String::strip).toList();
        assertThat(resources).anySatisfy(l -> assertThat(l).matches("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment"));
        assertThat(resources).anySatisfy(l -> assertThat(l).matches("pods\\s+po\\s+v1\\s+true\\s+Pod"));
        run("apply", "-n", ns, "-f", manifest("web.yaml", deploymentYaml(2, "nginx:1.27")).toString());
        assertThat(run("describe", "deployment", "web", "-n", ns).stdout())
                .contains("Name:", "web", "Replicas:", "2 desired", "nginx:1.27");
    }

    @Test
    void applyDeploymentThenGetAsJsonAndYaml() throws Exception {
        Result created = run("apply", "-n", ns, "-f", manifest("web.yaml", deploymentYaml(3, "nginx:1.27")).toString());
        assertThat(created.stdout()).contains("deployment.apps/web created");
        assertThat(storedDeployment().path("spec").path("replicas").asInt()).isEqualTo(3);

        JsonNode json = Json.tree(run("get", "deployment", "web", "-n", ns, "-o", "json").stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(json.path("kind").asText()).isEqualTo("Deployment");
        assertThat(json.path("metadata").path("annotations")
                .has("kubectl.kubernetes.io/last-applied-configuration")).isTrue();
        String yaml = run("get", "deployment", "web", "-n", ns, "-o", "yaml").stdout();
        assertThat(yaml).contains("kind: Deployment", "name: web", "image: nginx:1.27");

        Result configured = run("apply", "-n", ns, "-f", manifest("web2.yaml", deploymentYaml(2, "nginx:1.28")).toString());
        assertThat(configured.stdout()).contains("deployment.apps/web configured");
        JsonNode d = storedDeployment();
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(d.path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("nginx:1.28");
        assertThat(run("apply", "-n", ns, "-f", manifest("web3.yaml", deploymentYaml(2, "nginx:1.28")).toString()).stdout())
                .contains("deployment.apps/web unchanged");
    }

    @Test
    void applyCustomResourceDefinitionAndAnInstance() throws Exception {
        String group = "g" + ns.substring(2) + ".example.com";
        String crd = """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: gadgets.%s
                spec:
                  group: %s
                  scope: Namespaced
                  names: {plural: gadgets, singular: gadget, kind: Gadget, listKind: GadgetList, shortNames: [gd]}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
                    additionalPrinterColumns:
                    - {name: Size, type: integer, jsonPath: .spec.size}
                    - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
                    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
                """.formatted(group, group);
        assertThat(run("apply", "-f", manifest("crd.yaml", crd).toString()).stdout())
                .contains("customresourcedefinition.apiextensions.k8s.io/gadgets." + group + " created");
        String instance = """
                apiVersion: %s/v1
                kind: Gadget
                metadata:
                  name: g1
                spec:
                  size: 3
                """.formatted(group);
        assertThat(run("apply", "-n", ns, "-f", manifest("gadget.yaml", instance).toString()).stdout())
                .contains("gadget." + group + "/g1 created");
        JsonNode g = Json.tree(run("get", "gadgets", "g1", "-n", ns, "-o", "json").stdout().getBytes(StandardCharsets.UTF_8));
        assertThat(g.path("spec").path("size").asInt()).isEqualTo(3);
        assertThat(run("get", "gd", "-n", ns, "-o", "name").stdout()).contains("gadget." + group + "/g1");
        // the CRD's additionalPrinterColumns, printed server-side
        List<String> table = run("get", "gadgets", "-n", ns).stdout().lines().map(String::strip).toList();
        assertThat(table.get(0)).matches("NAME\\s+SIZE\\s+AGE");
        assertThat(table.get(1)).matches("g1\\s+3\\s+\\d+s");
        assertThat(run("get", "gadgets", "-n", ns, "-o", "wide").stdout().lines().findFirst().orElseThrow())
                .matches("NAME\\s+SIZE\\s+COLOR\\s+AGE");
    }

    @Test
    void getByShortNames() throws Exception {
        run("apply", "-n", ns, "-f", manifest("web.yaml", deploymentYaml(1, "nginx:1.27")).toString());
        store.create(ResourceTypes.REPLICA_SET, ns, tree("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-1"},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}"""),
                null);
        store.create(ResourceTypes.POD, ns, tree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1-x"},
                 "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}"""), null);
        Result r = run("get", "deploy,rs,po", "-n", ns, "-o", "name");
        assertThat(r.stdout().lines().toList())
                .containsExactly("deployment.apps/web", "replicaset.apps/web-1", "pod/web-1-x");
        // server-side Table printing: kubectl shows kube-apiserver's columns
        List<String> table = run("get", "deploy,rs,po", "-n", ns).stdout().lines().map(String::strip).toList();
        assertThat(table).anySatisfy(l -> assertThat(l).matches("NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("deployment.apps/web\\s+0/1\\s+0\\s+0\\s+\\S+"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+AGE"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("replicaset.apps/web-1\\s+1\\s+0\\s+0\\s+\\S+"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE"));
        assertThat(table).anySatisfy(l -> assertThat(l).matches("pod/web-1-x\\s+0/1\\s+Pending\\s+0\\s+\\S+"));
        assertThat(run("get", "deploy", "-n", ns, "-o", "wide").stdout().lines().findFirst().orElseThrow())
                .contains("CONTAINERS", "IMAGES", "SELECTOR");
    }

    @Test
    void watchReceivesALaterChange() throws Exception {
        store.create(ResourceTypes.CONFIG_MAP, ns, tree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched"},"data":{"k":"before"}}"""), null);
        Process p = start("get", "configmap", "watched", "-n", ns, "-w", "-o", "json");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<Boolean> sawChange = CompletableFuture.supplyAsync(() -> {
                boolean changed = false;
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.contains("\"before\"") && !changed) {
                            changed = true;
                            run("patch", "configmap", "watched", "-n", ns, "--type", "merge", "-p", "{\"data\":{\"k\":\"after\"}}");
                        }
                        if (line.contains("\"after\"")) {
                            return true;
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return false;
            }, IO);
            assertThat(sawChange.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("kubectl get -w printed the change").isTrue();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void watchAsTablePrintsRows() throws Exception {
        store.create(ResourceTypes.CONFIG_MAP, ns, tree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first"}}"""), null);
        Process p = start("get", "configmaps", "-n", ns, "-w");
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), IO);
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            CompletableFuture<Boolean> sawSecond = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        seen.add(line.strip());
                        if (line.startsWith("first")) {
                            store.create(ResourceTypes.CONFIG_MAP, ns, tree("""
                                    {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"second"}}"""), null);
                        }
                        if (line.startsWith("second")) {
                            return true;
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return false;
            }, IO);
            boolean second;
            try {
                second = sawSecond.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                second = false;
            }
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            assertThat(second).as("kubectl get -w printed the new row; its stdout: %s, stderr: %s", seen,
                    stderr.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seen.get(0)).matches("NAME\\s+DATA\\s+AGE");
            assertThat(seen).anySatisfy(l -> assertThat(l).matches("second\\s+0\\s+\\S+"));
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void labelAnnotateAndPatch() throws Exception {
        run("apply", "-n", ns, "-f", manifest("web.yaml", deploymentYaml(1, "nginx:1.27")).toString());
        run("label", "deployment", "web", "-n", ns, "tier=front");
        run("annotate", "deployment", "web", "-n", ns, "owner=team-a");
        JsonNode d = storedDeployment();
        assertThat(d.path("metadata").path("labels").path("tier").asText()).isEqualTo("front");
        assertThat(d.path("metadata").path("annotations").path("owner").asText()).isEqualTo("team-a");

        run("label", "deployment", "web", "-n", ns, "tier-");
        assertThat(storedDeployment().path("metadata").path("labels").has("tier")).isFalse();

        run("patch", "deployment", "web", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"replicas\":4}}");
        assertThat(storedDeployment().path("spec").path("replicas").asInt()).isEqualTo(4);

        // strategic merge: containers merge by name, so this adds a sidecar and keeps nginx
        run("patch", "deployment", "web", "-n", ns, "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox\"}]}}}}");
        JsonNode containers = storedDeployment().path("spec").path("template").path("spec").path("containers");
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("nginx", "sidecar");

        run("patch", "deployment", "web", "-n", ns, "--type", "json",
                "-p", "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":2}]");
        assertThat(storedDeployment().path("spec").path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void scaleAndSetImage() throws Exception {
        run("apply", "-n", ns, "-f", manifest("web.yaml", deploymentYaml(1, "nginx:1.27")).toString());
        assertThat(run("scale", "deployment", "web", "-n", ns, "--replicas=5").stdout()).contains("scaled");
        assertThat(storedDeployment().path("spec").path("replicas").asInt()).isEqualTo(5);
        assertThat(run("set", "image", "deployment/web", "-n", ns, "nginx=nginx:1.29").stdout()).contains("image updated");
        assertThat(storedDeployment().path("spec").path("template").path("spec").path("containers").get(0)
                .path("image").asText()).isEqualTo("nginx:1.29");
    }

    @Test
    void deleteAndDeleteWithOrphanCascade() throws Exception {
        store.create(ResourceTypes.CONFIG_MAP, ns, tree("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"gone"}}"""), null);
        assertThat(run("delete", "configmap", "gone", "-n", ns).stdout()).contains("configmap \"gone\" deleted");
        assertThat(run(List.of(1), "get", "configmap", "gone", "-n", ns).stderr()).contains("NotFound");

        run("apply", "-n", ns, "-f", manifest("web.yaml", deploymentYaml(1, "nginx:1.27")).toString());
        // --wait=false: with the orphan finalizer the Deployment stays until a garbage collector removes it
        run("delete", "deployment", "web", "-n", ns, "--cascade=orphan", "--wait=false");
        JsonNode d = storedDeployment();
        assertThat(d.path("metadata").path("deletionTimestamp").asText()).isNotEmpty();
        List<String> finalizers = new ArrayList<>();
        d.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
        assertThat(finalizers).contains("orphan");
    }

    @Test
    void createDeploymentWorks() throws Exception {
        // kubectl 1.32 sends this create as protobuf (see KubectlProtobufTest), kubectl 1.20 as JSON
        run("create", "deployment", "pb", "-n", ns, "--image=nginx");
        assertThat(store.get(ResourceTypes.DEPLOYMENT, ns, "pb", null).name()).isEqualTo("pb");
    }

    // ------------------------------------------------------------------ helpers

    private JsonNode storedDeployment() {
        StoredObject o = store.get(ResourceTypes.DEPLOYMENT, ns, "web", null);
        return o.json();
    }

    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
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

    private Path manifest(String name, String content) throws IOException {
        Path f = dir.resolve(ns + "-" + name);
        Files.writeString(f, content);
        return f;
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        return kubectl.run(args);
    }

    private static Result run(List<Integer> exits, String... args) throws IOException, InterruptedException {
        return kubectl.run(exits, args);
    }

    private static Process start(String... args) throws IOException {
        return kubectl.start(args);
    }

    private static String readAll(java.io.InputStream in) {
        return KubectlHarness.readAll(in);
    }
}
