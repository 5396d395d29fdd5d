package io.kardia.store.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.store.ReferenceStore;
import io.kardia.store.testkit.KubectlHarness;
import io.kardia.store.testkit.KubectlHarness.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl's typed-client commands ({@code create namespace|configmap|secret|deployment|job|
 * serviceaccount|role|service}) send protobuf bodies and ask for protobuf answers ({@code run}
 * sends JSON in kubectl 1.32). Each runs with {@code -v=8},
 * so the test sees from kubectl's own log that protobuf went over the wire, and then reads what
 * the store kept.
 */
class KubectlProtobufTest {
    private static final String SENT_PROTOBUF = "Content-Type: application/vnd.kubernetes.protobuf";
    private static final String GOT_PROTOBUF = "Response Headers:";

    @TempDir
    static Path dir;

    private static ReferenceStore store;
    private static KubectlHarness kubectl;

    private String ns;

    @BeforeAll
    static void start() throws IOException {
        store = ReferenceStore.inMemory();
        kubectl = KubectlHarness.start(store, dir, "kubectl protobuf tests");
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
    void namespace() throws Exception {
        ns = "kp-" + UUID.randomUUID().toString().substring(0, 8);
        Result r = kubectl.run("create", "namespace", ns, "-v=8");
        assertSentProtobuf(r);
        assertThat(r.stdout()).contains("namespace/" + ns + " created");
    }

    @Test
    void createConfigMap() throws Exception {
        Result r = kubectl.run("-n", ns, "create", "configmap", "settings", "--from-literal=mode=fast", "--from-literal=level=3", "-v=8");

        assertSentProtobuf(r);
        assertThat(r.stdout()).contains("configmap/settings created");
        JsonNode cm = get("configmap", "settings");
        assertThat(cm.path("data").path("mode").asText()).isEqualTo("fast");
        assertThat(cm.path("data").path("level").asText()).isEqualTo("3");
    }

    @Test
    void createSecretKeepsTheBytes() throws Exception {
        Result r = kubectl.run("-n", ns, "create", "secret", "generic", "creds", "--from-literal=password=s3cr3t", "-v=8");

        assertSentProtobuf(r);
        JsonNode secret = get("secret", "creds");
        assertThat(secret.path("data").path("password").asText()).isEqualTo("czNjcjN0");
        assertThat(secret.path("type").asText()).isEqualTo("Opaque");
    }

    @Test
    void createDeployment() throws Exception {
        Result r = kubectl.run("-n", ns, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--port=8080", "-v=8");

        assertSentProtobuf(r);
        JsonNode d = get("deployment", "web");
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(d.path("spec").path("selector").path("matchLabels").path("app").asText()).isEqualTo("web");
        JsonNode container = d.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("nginx:1.27");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);
    }

    @Test
    void runAPod() throws Exception {
        Result r = kubectl.run("-n", ns, "run", "once", "--image=busybox", "--restart=Never", "--labels=app=once",
                "--env=GREETING=hi", "-v=8");

        // kubectl 1.32's run goes through the generic resource client: JSON, unlike the create generators
        assertThat(r.stderr()).contains("Content-Type: application/json");
        assertThat(r.stdout()).contains("pod/once created");
        JsonNode pod = get("pod", "once");
        assertThat(pod.path("spec").path("restartPolicy").asText()).isEqualTo("Never");
        assertThat(pod.path("metadata").path("labels").path("app").asText()).isEqualTo("once");
        assertThat(pod.path("spec").path("containers").get(0).path("env").get(0).path("value").asText()).isEqualTo("hi");
    }

    @Test
    void createJobAndServiceAccountAndRole() throws Exception {
        assertSentProtobuf(kubectl.run("-n", ns, "create", "job", "once", "--image=busybox", "-v=8"));
        assertSentProtobuf(kubectl.run("-n", ns, "create", "serviceaccount", "robot", "-v=8"));
        assertSentProtobuf(kubectl.run("-n", ns, "create", "role", "reader", "--verb=get,list", "--resource=pods", "-v=8"));

        assertThat(get("job", "once").path("spec").path("template").path("spec").path("containers").get(0).path("image").asText())
                .isEqualTo("busybox");
        assertThat(get("serviceaccount", "robot").path("metadata").path("name").asText()).isEqualTo("robot");
        assertThat(get("role", "reader").path("rules").get(0).path("verbs").toString()).isEqualTo("[\"get\",\"list\"]");
    }

    @Test
    void createServiceClusterIp() throws Exception {
        Result r = kubectl.run("-n", ns, "create", "service", "clusterip", "api", "--tcp=80:8080", "-v=8");

        assertSentProtobuf(r);
        JsonNode svc = get("service", "api");
        assertThat(svc.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(80);
        assertThat(svc.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(8080);
    }

    private static void assertSentProtobuf(Result r) {
        assertThat(r.stderr()).as("kubectl's log of the request").contains(SENT_PROTOBUF).contains(GOT_PROTOBUF);
    }

    private JsonNode get(String kind, String name) throws Exception {
        return Json.tree(kubectl.run("-n", ns, "get", kind, name, "-o", "json").stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
