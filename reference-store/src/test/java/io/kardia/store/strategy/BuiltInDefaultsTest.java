package io.kardia.store.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.ResourceTypes;
import io.kardia.store.ReferenceStore;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * kube-apiserver fills in the built-in kinds' defaults on every write (SetDefaults_Deployment,
 * SetDefaults_PodSpec, SetDefaults_Container...), and clients and controllers rely on them:
 * {@code kubectl describe deploy} shows the StrategyType, and the Deployment controller reads
 * {@code strategy.rollingUpdate.maxSurge/maxUnavailable}. Written against the store itself, so it
 * covers every transport.
 */
class BuiltInDefaultsTest {
    private final ReferenceStore store = ReferenceStore.inMemory();

    @AfterEach
    void close() {
        store.close();
    }

    private static ObjectNode tree(String json) {
        return (ObjectNode) Json.tree(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deploymentDefaults() {
        JsonNode d = store.create(ResourceTypes.DEPLOYMENT, "default", tree("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                 "spec":{"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27",
                     "ports":[{"containerPort":80}]}]}}}}"""), null).json().path("spec");
        assertThat(d.path("replicas").asInt()).isEqualTo(1);
        assertThat(d.path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
        assertThat(d.path("strategy").path("rollingUpdate").path("maxSurge").asText()).isEqualTo("25%");
        assertThat(d.path("strategy").path("rollingUpdate").path("maxUnavailable").asText()).isEqualTo("25%");
        assertThat(d.path("revisionHistoryLimit").asInt(-1)).isEqualTo(10);
        assertThat(d.path("progressDeadlineSeconds").asInt(-1)).isEqualTo(600);
        JsonNode pod = d.path("template").path("spec");
        assertThat(pod.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(pod.path("containers").get(0).path("imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(pod.path("containers").get(0).path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
    }

    @Test
    void podSpecDefaults() {
        JsonNode spec = store.create(ResourceTypes.POD, "default", tree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                 "spec":{"containers":[{"name":"app","image":"nginx"}]}}"""), null).json().path("spec");
        assertThat(spec.path("restartPolicy").asText()).isEqualTo("Always");
        assertThat(spec.path("dnsPolicy").asText()).isEqualTo("ClusterFirst");
        assertThat(spec.path("terminationGracePeriodSeconds").asLong(-1)).isEqualTo(30);
        assertThat(spec.path("schedulerName").asText()).isEqualTo("default-scheduler");
        JsonNode c = spec.path("containers").get(0);
        assertThat(c.path("imagePullPolicy").asText()).as("untagged image").isEqualTo("Always");
        assertThat(c.path("terminationMessagePath").asText()).isEqualTo("/dev/termination-log");
        assertThat(c.path("terminationMessagePolicy").asText()).isEqualTo("File");
    }

    @Test
    void updatesAreDefaultedWithoutBumpingGeneration() {
        ObjectNode body = tree("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"rs"},
                 "spec":{"selector":{"matchLabels":{"app":"web"}},
                   "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"app","image":"nginx:latest"}]}}}}""");
        JsonNode created = store.create(ResourceTypes.REPLICA_SET, "default", body.deepCopy(), null).json();
        assertThat(created.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(created.path("spec").path("template").path("spec").path("containers").get(0)
                .path("imagePullPolicy").asText()).as(":latest pulls always").isEqualTo("Always");

        // The same body again, without the defaulted fields: nothing changed, so no new generation.
        JsonNode updated = store.update(ResourceTypes.REPLICA_SET, "default", "rs", body, null).json();
        assertThat(updated.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(updated.path("metadata").path("generation").asLong())
                .isEqualTo(created.path("metadata").path("generation").asLong());
    }
}
