package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static io.kardia.store.TestKinds.CRDS;
import static io.kardia.store.TestKinds.DEPLOYMENTS;
import static io.kardia.store.TestKinds.NAMESPACES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server-side apply and managed fields, modelled on kube-apiserver's documented behaviour
 * ("Server-Side Apply" in the Kubernetes docs); the HTTP transport runs the same suite.
 */
@Timeout(60)
public abstract class ServerSideApplyContractTest {
    private static final ResourceType<GenericObject> GADGETS = new ResourceType<>("ssa.kardia.io", "v1", "Gadget", "gadgets",
            "gadget", true, List.of(), Set.of("status"), GenericObject.class);

    protected KubeClient client;
    protected String ns;

    protected abstract KubeClient newClient();

    @BeforeEach
    void setUpNamespace() {
        client = newClient();
        ns = "ssa-" + UUID.randomUUID().toString().substring(0, 8);
        client.resources(NAMESPACES).create(TestKinds.namespace(ns));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private ResourceClient<GenericObject> configMaps() {
        return client.resources(CONFIGMAPS);
    }

    private ResourceClient<GenericObject> deployments() {
        return client.resources(DEPLOYMENTS);
    }

    private GenericObject cm(String name, Map<String, String> data) {
        return GenericObject.of(CONFIGMAPS, ObjectMeta.of(ns, name)).with("data", data);
    }

    private static JsonNode managedFields(GenericObject o) {
        Object mf = o.metadata().extra().get("managedFields");
        return mf == null ? Json.mapper().createArrayNode() : Json.mapper().valueToTree(mf);
    }

    private static JsonNode entry(GenericObject o, String manager, String operation) {
        for (JsonNode e : managedFields(o)) {
            if (e.path("manager").asText().equals(manager) && e.path("operation").asText().equals(operation)) {
                return e;
            }
        }
        return null;
    }

    private static String fields(GenericObject o, String manager, String operation) {
        JsonNode e = entry(o, manager, operation);
        return e == null ? null : Json.toString(e.get("fieldsV1"));
    }

    // ------------------------------------------------------------------ managed fields of updates

    @Test
    void createAndUpdateRecordOwnershipInKubeApiserversFormat() {
        GenericObject created = configMaps().create(cm("c", Map.of("a", "1")), new WriteOptions(false, "creator"));
        JsonNode e = entry(created, "creator", "Update");
        assertThat(e).isNotNull();
        assertThat(e.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(e.path("fieldsType").asText()).isEqualTo("FieldsV1");
        assertThat(e.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(e.has("subresource")).isFalse();
        assertThat(Json.toString(e.get("fieldsV1"))).isEqualTo("{\"f:data\":{\".\":{},\"f:a\":{}}}");

        GenericObject updated = configMaps().update(created.with("data", Map.of("a", "1", "b", "2")),
                new WriteOptions(false, "editor"));
        assertThat(fields(updated, "editor", "Update")).isEqualTo("{\"f:data\":{\"f:b\":{}}}");
        assertThat(fields(updated, "creator", "Update")).isEqualTo("{\"f:data\":{\".\":{},\"f:a\":{}}}");

        GenericObject changed = configMaps().patch(ns, "c", PatchType.MERGE, "{\"data\":{\"a\":\"9\",\"b\":null}}",
                new WriteOptions(false, "editor"));
        // editor took data.a from creator and b is gone from everyone
        assertThat(fields(changed, "editor", "Update")).isEqualTo("{\"f:data\":{\"f:a\":{}}}");
        assertThat(fields(changed, "creator", "Update")).isEqualTo("{\"f:data\":{}}");
    }

    @Test
    void anUnchangedUpdateKeepsTheObjectAsItWas() {
        GenericObject created = configMaps().create(cm("c", Map.of("a", "1")), new WriteOptions(false, "creator"));
        GenericObject same = configMaps().update(created, new WriteOptions(false, "someone-else"));
        assertThat(same.metadata().resourceVersion()).isEqualTo(created.metadata().resourceVersion());
        assertThat(entry(same, "someone-else", "Update")).isNull();
    }

    @Test
    void brokenManagedFieldsAreIgnoredAndOneEmptyEntryStripsThem() {
        GenericObject created = configMaps().create(cm("c", Map.of("a", "1")), new WriteOptions(false, "creator"));
        GenericObject broken = created.withMetadata(created.metadata().toBuilder()
                .extra("managedFields", List.of(Map.of("manager", "x", "fieldsType", "FieldsV2"))).build())
                .with("data", Map.of("a", "1", "b", "2"));
        GenericObject kept = configMaps().update(broken, new WriteOptions(false, "editor"));
        assertThat(fields(kept, "creator", "Update")).isEqualTo("{\"f:data\":{\".\":{},\"f:a\":{}}}");
        assertThat(fields(kept, "editor", "Update")).isEqualTo("{\"f:data\":{\"f:b\":{}}}");
        assertThat(entry(kept, "x", "Update")).isNull();

        GenericObject reset = kept.withMetadata(kept.metadata().toBuilder()
                .extra("managedFields", List.of(Map.of())).build());
        GenericObject stripped = configMaps().update(reset, new WriteOptions(false, "editor"));
        assertThat(managedFields(stripped)).isEmpty();
        // untracked until the next apply, as in kube-apiserver
        GenericObject later = configMaps().update(stripped.with("data", Map.of("a", "2")), new WriteOptions(false, "editor"));
        assertThat(managedFields(later)).isEmpty();
        GenericObject applied = configMaps().apply(cm("c", Map.of("z", "1")), "applier");
        assertThat(fields(applied, "before-first-apply", "Update")).isEqualTo("{\"f:data\":{\".\":{},\"f:a\":{}}}");
        assertThat(fields(applied, "applier", "Apply")).isEqualTo("{\"f:data\":{\"f:z\":{}}}");
    }

    // ------------------------------------------------------------------ apply

    @Test
    void applyCreatesTheObjectAndOwnsExactlyItsFields() {
        GenericObject c = configMaps().apply(cm("c", Map.of("a", "1"))
                .withMetadata(ObjectMeta.builder().namespace(ns).name("c").labels(Map.of("app", "web")).build()), "alice");
        assertThat(c.metadata().uid()).isNotNull();
        assertThat(c.metadata().labels()).containsEntry("app", "web");
        JsonNode e = entry(c, "alice", "Apply");
        assertThat(e.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(Json.toString(e.get("fieldsV1")))
                .isEqualTo("{\"f:data\":{\"f:a\":{}},\"f:metadata\":{\"f:labels\":{\"f:app\":{}}}}");
        assertThat(configMaps().get(ns, "c").fields()).containsEntry("data", Map.of("a", "1"));

        // the same configuration again changes nothing: no new resourceVersion (a controller applying every
        // reconcile causes no watch event, hence no hot loop)
        GenericObject again = configMaps().apply(cm("c", Map.of("a", "1"))
                .withMetadata(ObjectMeta.builder().namespace(ns).name("c").labels(Map.of("app", "web")).build()), "alice");
        assertThat(again.metadata().resourceVersion()).isEqualTo(c.metadata().resourceVersion());
    }

    @Test
    void twoManagersShareAnObjectAndConflictsNameEveryFieldAndOwner() {
        configMaps().apply(cm("c", Map.of("a", "1", "b", "1")), "alice");
        GenericObject shared = configMaps().apply(cm("c", Map.of("c", "1")), "bob");
        assertThat(shared.fields().get("data")).isEqualTo(Map.of("a", "1", "b", "1", "c", "1"));

        // the same value is no conflict: both own it
        GenericObject co = configMaps().apply(cm("c", Map.of("c", "1", "a", "1")), "bob");
        assertThat(fields(co, "alice", "Apply")).isEqualTo("{\"f:data\":{\"f:a\":{},\"f:b\":{}}}");
        assertThat(fields(co, "bob", "Apply")).isEqualTo("{\"f:data\":{\"f:a\":{},\"f:c\":{}}}");

        assertThatThrownBy(() -> configMaps().apply(cm("c", Map.of("c", "1", "a", "2", "b", "2")), "bob"))
                .isInstanceOfSatisfying(KubeApiException.ConflictException.class, e -> {
                    Status s = e.status();
                    assertThat(s.code()).isEqualTo(409);
                    assertThat(s.message()).isEqualTo("Apply failed with 2 conflicts: conflicts with \"alice\":\n- .data.a\n- .data.b");
                    assertThat(s.details().causes()).extracting(Status.Cause::reason, Status.Cause::message, Status.Cause::field)
                            .containsExactly(
                                    org.assertj.core.groups.Tuple.tuple("FieldManagerConflict", "conflict with \"alice\"", ".data.a"),
                                    org.assertj.core.groups.Tuple.tuple("FieldManagerConflict", "conflict with \"alice\"", ".data.b"));
                });
        assertThat(configMaps().get(ns, "c").fields().get("data")).isEqualTo(Map.of("a", "1", "b", "1", "c", "1"));

        GenericObject forced = configMaps().apply(cm("c", Map.of("c", "1", "a", "2", "b", "2")),
                WriteOptions.apply("bob").withForce(true));
        assertThat(forced.fields().get("data")).isEqualTo(Map.of("a", "2", "b", "2", "c", "1"));
        assertThat(entry(forced, "alice", "Apply")).isNull();
        assertThat(fields(forced, "bob", "Apply")).isEqualTo("{\"f:data\":{\"f:a\":{},\"f:b\":{},\"f:c\":{}}}");
    }

    @Test
    void aConflictWithAnUpdaterNamesItsApiVersion() {
        configMaps().create(cm("c", Map.of("a", "1")), new WriteOptions(false, "kubectl-edit"));
        assertThatThrownBy(() -> configMaps().apply(cm("c", Map.of("a", "2")), "alice"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: .data.a");
    }

    @Test
    void reapplyingWithoutAFieldRemovesItUnlessAnotherManagerOwnsIt() {
        configMaps().apply(cm("c", Map.of("a", "1", "b", "1", "c", "1")), "alice");
        configMaps().apply(cm("c", Map.of("c", "1")), "bob");
        GenericObject after = configMaps().apply(cm("c", Map.of("a", "1")), "alice");
        assertThat(after.fields().get("data")).isEqualTo(Map.of("a", "1", "c", "1"));
        assertThat(fields(after, "alice", "Apply")).isEqualTo("{\"f:data\":{\"f:a\":{}}}");
    }

    @Test
    void anUpdateTakesOwnershipFromAnApplier() {
        deployments().apply(deployment("d", 2), "alice");
        GenericObject live = deployments().get(ns, "d");
        GenericObject scaled = deployments().update(live.withAt("spec.replicas", 5), new WriteOptions(false, "hpa"));
        assertThat(fields(scaled, "hpa", "Update")).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(fields(scaled, "alice", "Apply")).doesNotContain("f:replicas");
        // alice no longer owns replicas: re-applying without it leaves hpa's value
        GenericObject reapplied = deployments().apply(deployment("d", 2).withAt("spec.replicas", null), "alice");
        assertThat(reapplied.at("spec.replicas", Integer.class)).contains(5);
        // and applying it again is a conflict with the updater
        assertThatThrownBy(() -> deployments().apply(deployment("d", 3), "alice"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessage("Apply failed with 1 conflict: conflict with \"hpa\" using apps/v1: .spec.replicas");
    }

    @Test
    void associativeListsMergeByKey() {
        deployments().apply(deployment("d", 1).withAt("spec.template.spec.containers", List.of(Map.of("name", "app",
                "image", "nginx:1", "ports", List.of(Map.of("containerPort", 80))))), "alice");
        GenericObject withSidecar = deployments().apply(GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .withAt("spec.template.spec.containers", List.of(
                        Map.of("name", "app", "ports", List.of(Map.of("containerPort", 8080))),
                        Map.of("name", "sidecar", "image", "envoy:1"))), "bob");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = withSidecar.at("spec.template.spec.containers", List.class).orElseThrow();
        assertThat(containers).extracting(c -> c.get("name")).containsExactly("app", "sidecar");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ports = (List<Map<String, Object>>) containers.get(0).get("ports");
        assertThat(ports).extracting(p -> ((Number) p.get("containerPort")).intValue()).containsExactly(80, 8080);
        assertThat(containers.get(0)).containsEntry("image", "nginx:1");
        assertThat(fields(withSidecar, "bob", "Apply")).isEqualTo("{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:containers\":{"
                + "\"k:{\\\"name\\\":\\\"app\\\"}\":{\".\":{},\"f:name\":{},\"f:ports\":{"
                + "\"k:{\\\"containerPort\\\":8080,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}},"
                + "\"k:{\\\"name\\\":\\\"sidecar\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{}}}}}}}");

        // alice drops her port: it goes, bob's stays; the web container stays (bob owns part of it)
        GenericObject after = deployments().apply(deployment("d", 1).withAt("spec.template.spec.containers",
                List.of(Map.of("name", "app", "image", "nginx:1"))), "alice");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> c2 = after.at("spec.template.spec.containers", List.class).orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> p2 = (List<Map<String, Object>>) c2.get(0).get("ports");
        assertThat(p2).extracting(p -> ((Number) p.get("containerPort")).intValue()).containsExactly(8080);
    }

    @Test
    void statusIsAppliedThroughItsSubresourceOnly() {
        deployments().apply(deployment("d", 1), "alice");
        GenericObject status = GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .with("status", Map.of("observedGeneration", 1, "conditions", List.of(
                        Map.of("type", "Available", "status", "True", "reason", "MinimumReplicasAvailable"))));
        GenericObject after = deployments().applyStatus(status, "ctrl");
        JsonNode e = entry(after, "ctrl", "Apply");
        assertThat(e.path("subresource").asText()).isEqualTo("status");
        assertThat(Json.toString(e.get("fieldsV1"))).isEqualTo("{\"f:status\":{\"f:conditions\":{"
                + "\"k:{\\\"type\\\":\\\"Available\\\"}\":{\".\":{},\"f:reason\":{},\"f:status\":{},\"f:type\":{}}},"
                + "\"f:observedGeneration\":{}}}");
        assertThat(after.at("status.observedGeneration", Integer.class)).contains(1);
        // the main resource's apply neither writes nor owns status
        GenericObject main = deployments().apply(deployment("d", 1).with("status", Map.of("observedGeneration", 9)), "alice");
        assertThat(main.at("status.observedGeneration", Integer.class)).contains(1);
        assertThat(fields(main, "alice", "Apply")).doesNotContain("f:status");
    }

    @Test
    void kubectlTakesOverClientSideApplyFieldsItStillHolds() {
        String lastApplied = Json.toString(Json.toTree(deployment("d", 2)));
        GenericObject csa = deployment("d", 2).withMetadata(ObjectMeta.builder().namespace(ns).name("d")
                .annotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", lastApplied)).build());
        deployments().create(csa, new WriteOptions(false, "kubectl-client-side-apply"));
        // another manager conflicts as usual
        assertThatThrownBy(() -> deployments().apply(deployment("d", 3), "other"))
                .isInstanceOf(KubeApiException.ConflictException.class);
        // kubectl's server-side apply takes the fields its last client-side apply set
        GenericObject upgraded = deployments().apply(deployment("d", 3), "kubectl");
        assertThat(upgraded.at("spec.replicas", Integer.class)).contains(3);
        assertThat(fields(upgraded, "kubectl", "Apply")).contains("f:replicas");
        assertThat(fields(upgraded, "kubectl-client-side-apply", "Update")).doesNotContain("f:replicas");
        assertThat(upgraded.metadata().annotations().get("kubectl.kubernetes.io/last-applied-configuration"))
                .contains("\"replicas\":3");
    }

    @Test
    void dryRunApplyStoresNothing() {
        configMaps().apply(cm("c", Map.of("a", "1")), "alice");
        GenericObject dry = configMaps().apply(cm("c", Map.of("a", "2")),
                WriteOptions.apply("alice").withDryRun(true));
        assertThat(dry.fields().get("data")).isEqualTo(Map.of("a", "2"));
        assertThat(configMaps().get(ns, "c").fields().get("data")).isEqualTo(Map.of("a", "1"));
        GenericObject dryCreate = configMaps().apply(cm("new", Map.of("a", "2")), WriteOptions.apply("alice").withDryRun(true));
        assertThat(dryCreate.fields().get("data")).isEqualTo(Map.of("a", "2"));
        assertThat(configMaps().find(ns, "new")).isEmpty();
    }

    @Test
    void badApplyBodiesAreRefusedNamingTheFieldAndStoreNothing() {
        assertThatThrownBy(() -> configMaps().apply(cm("c", Map.of("a", "1")), WriteOptions.apply(null)))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(422);
                    assertThat(e.status().details().causes()).extracting(Status.Cause::field).containsExactly("fieldManager");
                });
        assertBadRequest("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{}}", "c", "metadata.name");
        assertBadRequest("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\"}}", "c", "metadata.name");
        assertBadRequest("{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}", "c", "apiVersion");
        assertBadRequest("{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"c\"}}", "c", "kind");
        String dup = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                      - {name: web, image: a}
                      - {name: web, image: b}
                """;
        assertThatThrownBy(() -> deployments().patch(ns, "d", PatchType.APPLY, dup, WriteOptions.apply("alice")))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(400);
                    assertThat(e.status().message()).contains(".spec.template.spec.containers: duplicate entries for key [name=\"web\"]");
                    assertThat(e.status().details().causes()).extracting(Status.Cause::field)
                            .containsExactly("spec.template.spec.containers");
                });
        assertThat(configMaps().find(ns, "c")).isEmpty();
        assertThat(deployments().find(ns, "d")).isEmpty();
    }

    private void assertBadRequest(String body, String name, String field) {
        assertThatThrownBy(() -> configMaps().patch(ns, name, PatchType.APPLY, body, WriteOptions.apply("alice")))
                .isInstanceOfSatisfying(KubeApiException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(400);
                    assertThat(e.status().details().causes()).extracting(Status.Cause::field).containsExactly(field);
                });
    }

    @Test
    void forceIsOnlyForApply() {
        configMaps().create(cm("c", Map.of("a", "1")));
        assertThatThrownBy(() -> configMaps().patch(ns, "c", PatchType.MERGE, "{}", WriteOptions.apply("x").withForce(true)))
                .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.status().code()).isEqualTo(422));
    }

    @Test
    void customResourcesMergeByTheirSchemasListMapKeys() {
        client.resources(CRDS).apply(Json.fromString("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gadgets.ssa.kardia.io"},
                 "spec":{"group":"ssa.kardia.io","scope":"Namespaced",
                   "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget","listKind":"GadgetList"},
                   "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                     "schema":{"openAPIV3Schema":{"type":"object","properties":{
                       "spec":{"type":"object","properties":{
                         "parts":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["id"],
                           "items":{"type":"object","properties":{"id":{"type":"string"},"size":{"type":"integer"}}}},
                         "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
                         "owner":{"type":"string"}}},
                       "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}}}]}}""", GenericObject.class),
                "setup");
        ResourceClient<GenericObject> gadgets = client.resources(GADGETS);
        Awaitility.await().untilAsserted(() -> assertThat(gadgets.list(ns).items()).isEmpty());
        GenericObject g = GenericObject.of(GADGETS, ObjectMeta.of(ns, "g"));
        gadgets.apply(g.withAt("spec.parts", List.of(Map.of("id", "a", "size", 1))).withAt("spec.tags", List.of("x")), "alice");
        GenericObject both = gadgets.apply(g.withAt("spec.parts", List.of(Map.of("id", "b", "size", 2)))
                .withAt("spec.tags", List.of("y")), "bob");
        assertThat(both.at("spec.parts", List.class).orElseThrow()).hasSize(2);
        assertThat(both.at("spec.tags", List.class).orElseThrow()).containsExactly("x", "y");
        assertThat(fields(both, "bob", "Apply")).isEqualTo("{\"f:spec\":{\"f:parts\":{\"k:{\\\"id\\\":\\\"b\\\"}\":{"
                + "\".\":{},\"f:id\":{},\"f:size\":{}}},\"f:tags\":{\"v:\\\"y\\\"\":{}}}}");
        assertThatThrownBy(() -> gadgets.apply(g.withAt("spec.parts", List.of(Map.of("id", "a", "size", 5))), "bob"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("conflict with \"alice\": .spec.parts[id=\"a\"].size");
    }

    @Test
    void builtInListsMergeAsTheirKindsDeclare() {
        // Service ports: a map keyed by port and protocol, so DNS over UDP and TCP on 53 are two items
        ResourceType<GenericObject> services = new ResourceType<>("", "v1", "Service", "services", "service", true,
                List.of(), Set.of("status"), GenericObject.class);
        GenericObject svc = GenericObject.of(services, ObjectMeta.of(ns, "dns")).withAt("spec.selector", Map.of("app", "dns"));
        client.resources(services).apply(svc.withAt("spec.ports", List.of(Map.of("name", "udp", "port", 53, "protocol", "UDP"))),
                "alice");
        GenericObject both = client.resources(services).apply(GenericObject.of(services, ObjectMeta.of(ns, "dns"))
                .withAt("spec.ports", List.of(Map.of("name", "tcp", "port", 53, "protocol", "TCP"))), "bob");
        assertThat(both.at("spec.ports", List.class).orElseThrow()).hasSize(2);
        assertThat(fields(both, "bob", "Apply")).isEqualTo("{\"f:spec\":{\"f:ports\":{"
                + "\"k:{\\\"port\\\":53,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:name\":{},\"f:port\":{},\"f:protocol\":{}}}}}");

        // a container's env: a map keyed by name, each manager owns its variable
        deployments().apply(deployment("d", 1).withAt("spec.template.spec.containers", List.of(Map.of("name", "app",
                "image", "nginx:1", "env", List.of(Map.of("name", "A", "value", "1"))))), "alice");
        GenericObject withB = deployments().apply(GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .withAt("spec.template.spec.containers", List.of(Map.of("name", "app",
                        "env", List.of(Map.of("name", "B", "value", "2"))))), "bob");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = withB.at("spec.template.spec.containers", List.class).orElseThrow();
        assertThat(containers.get(0).get("env")).isEqualTo(List.of(Map.of("name", "A", "value", "1"),
                Map.of("name", "B", "value", "2")));

        // tolerations: atomic, so another manager's different list is a conflict on the whole list
        deployments().apply(deployment("d", 1).withAt("spec.template.spec.containers", List.of(Map.of("name", "app",
                        "image", "nginx:1", "env", List.of(Map.of("name", "A", "value", "1")))))
                .withAt("spec.template.spec.tolerations", List.of(Map.of("key", "gpu", "operator", "Exists"))), "alice");
        assertThatThrownBy(() -> deployments().apply(GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .withAt("spec.template.spec.tolerations", List.of(Map.of("key", "spot", "operator", "Exists"))), "bob"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("conflict with \"alice\": .spec.template.spec.tolerations");
        GenericObject forced = deployments().apply(GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .withAt("spec.template.spec.tolerations", List.of(Map.of("key", "spot", "operator", "Exists"))),
                WriteOptions.apply("bob").withForce(true));
        assertThat(forced.at("spec.template.spec.tolerations", List.class).orElseThrow())
                .containsExactly(Map.of("key", "spot", "operator", "Exists"));
    }

    /**
     * Lists, maps and structs merge as the release's markers declare, for fields a hand-kept table
     * used to get wrong: a ServiceAccount's secrets are a map keyed by name (apply and strategic
     * merge), a pod template's nodeSelector is an atomic map, a PersistentVolume's claimRef is a
     * granular struct although ObjectReference is atomic elsewhere, and a webhook configuration's
     * webhooks are keyed by name.
     */
    @Test
    void builtInFieldsMergeAsTheReleaseDeclares() {
        ResourceType<GenericObject> serviceAccounts = new ResourceType<>("", "v1", "ServiceAccount", "serviceaccounts",
                "serviceaccount", true, List.of(), Set.of(), GenericObject.class);
        client.resources(serviceAccounts).apply(GenericObject.of(serviceAccounts, ObjectMeta.of(ns, "robot"))
                .with("secrets", List.of(Map.of("name", "a"))), "alice");
        GenericObject both = client.resources(serviceAccounts).apply(GenericObject.of(serviceAccounts, ObjectMeta.of(ns, "robot"))
                .with("secrets", List.of(Map.of("name", "b"))), "bob");
        assertThat(both.at("secrets", List.class).orElseThrow()).isEqualTo(List.of(Map.of("name", "a"), Map.of("name", "b")));
        // each item is an ObjectReference, an atomic struct: owned whole, by its key
        assertThat(fields(both, "bob", "Apply")).isEqualTo("{\"f:secrets\":{\"k:{\\\"name\\\":\\\"b\\\"}\":{}}}");
        GenericObject patched = client.resources(serviceAccounts).patch(ns, "robot", PatchType.STRATEGIC,
                "{\"secrets\":[{\"name\":\"c\"}]}", new WriteOptions(false, "carol"));
        assertThat(patched.at("secrets", List.class).orElseThrow()).as("strategic merge by name")
                .isEqualTo(List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c")));

        // nodeSelector: +mapType=atomic, so another manager's different map conflicts on the whole map
        GenericObject template = deployment("d", 1).withAt("spec.template.spec.containers",
                List.of(Map.of("name", "app", "image", "nginx:1")));
        deployments().apply(template.withAt("spec.template.spec.nodeSelector", Map.of("disk", "ssd")), "alice");
        assertThatThrownBy(() -> deployments().apply(GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .withAt("spec.template.spec.nodeSelector", Map.of("zone", "a")), "bob"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("conflict with \"alice\": .spec.template.spec.nodeSelector");
        GenericObject forced = deployments().apply(GenericObject.of(DEPLOYMENTS, ObjectMeta.of(ns, "d"))
                .withAt("spec.template.spec.nodeSelector", Map.of("zone", "a")), WriteOptions.apply("bob").withForce(true));
        assertThat(forced.at("spec.template.spec.nodeSelector", Map.class).orElseThrow()).isEqualTo(Map.of("zone", "a"));
        assertThat(fields(forced, "bob", "Apply")).isEqualTo(
                "{\"f:spec\":{\"f:template\":{\"f:spec\":{\"f:nodeSelector\":{}}}}}");

        // claimRef: +structType=granular on the field, so two managers own its fields apart
        ResourceType<GenericObject> volumes = new ResourceType<>("", "v1", "PersistentVolume", "persistentvolumes",
                "persistentvolume", false, List.of(), Set.of("status"), GenericObject.class);
        String pv = "pv-" + ns;
        try {
            client.resources(volumes).apply(GenericObject.of(volumes, ObjectMeta.of(null, pv))
                    .withAt("spec.capacity", Map.of("storage", "1Gi")).withAt("spec.accessModes", List.of("ReadWriteOnce"))
                    .withAt("spec.hostPath", Map.of("path", "/data"))
                    .withAt("spec.claimRef", Map.of("namespace", ns, "name", "claim")), "alice");
            GenericObject bound = client.resources(volumes).apply(GenericObject.of(volumes, ObjectMeta.of(null, pv))
                    .withAt("spec.claimRef", Map.of("uid", "1234")), "binder");
            assertThat(bound.at("spec.claimRef", Map.class).orElseThrow())
                    .isEqualTo(Map.of("namespace", ns, "name", "claim", "uid", "1234"));
            assertThat(fields(bound, "binder", "Apply")).isEqualTo("{\"f:spec\":{\"f:claimRef\":{\"f:uid\":{}}}}");
        } finally {
            client.resources(volumes).delete(null, pv);
        }
    }

    /** Cluster-scoped kinds whose lists the old table left atomic: a CSINode's drivers and a webhook configuration's webhooks, by name. */
    @Test
    void clusterScopedListsMergeByTheirKeys() {
        ResourceType<GenericObject> csiNodes = new ResourceType<>("storage.k8s.io", "v1", "CSINode", "csinodes", "csinode",
                false, List.of(), Set.of(), GenericObject.class);
        ResourceType<GenericObject> webhookConfigs = new ResourceType<>("admissionregistration.k8s.io", "v1",
                "ValidatingWebhookConfiguration", "validatingwebhookconfigurations", "validatingwebhookconfiguration", false,
                List.of(), Set.of(), GenericObject.class);
        String name = "node-" + ns;
        try {
            client.resources(csiNodes).apply(GenericObject.of(csiNodes, ObjectMeta.of(null, name))
                    .withAt("spec.drivers", List.of(Map.of("name", "ebs.csi.example.com", "nodeID", "i-1"))), "ebs-driver");
            GenericObject node = client.resources(csiNodes).apply(GenericObject.of(csiNodes, ObjectMeta.of(null, name))
                    .withAt("spec.drivers", List.of(Map.of("name", "efs.csi.example.com", "nodeID", "i-1"))), "efs-driver");
            assertThat(node.at("spec.drivers", List.class).orElseThrow()).hasSize(2);
            assertThat(fields(node, "efs-driver", "Apply")).isEqualTo("{\"f:spec\":{\"f:drivers\":{"
                    + "\"k:{\\\"name\\\":\\\"efs.csi.example.com\\\"}\":{\".\":{},\"f:name\":{},\"f:nodeID\":{}}}}}");
            // the first driver re-applies without its entry: only its own item goes
            GenericObject left = client.resources(csiNodes).apply(GenericObject.of(csiNodes, ObjectMeta.of(null, name))
                    .withAt("spec.drivers", List.of()), "ebs-driver");
            assertThat(left.at("spec.drivers", List.class).orElseThrow())
                    .containsExactly(Map.of("name", "efs.csi.example.com", "nodeID", "i-1"));

            // webhooks that match nothing this suite writes (a group no one serves), one per manager
            for (String manager : List.of("team-a", "team-b")) {
                client.resources(webhookConfigs).apply(GenericObject.of(webhookConfigs, ObjectMeta.of(null, name))
                        .with("webhooks", List.of(Map.of("name", manager + ".example.com", "sideEffects", "None",
                                "admissionReviewVersions", List.of("v1"), "failurePolicy", "Ignore",
                                "clientConfig", Map.of("url", "https://127.0.0.1:1/" + manager),
                                "rules", List.of(Map.of("apiGroups", List.of("nothing.example.com"), "apiVersions", List.of("v1"),
                                        "operations", List.of("CREATE"), "resources", List.of("nothings")))))), manager);
            }
            GenericObject config = client.resources(webhookConfigs).get(null, name);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> webhooks = config.at("webhooks", List.class).orElseThrow();
            assertThat(webhooks).extracting(w -> w.get("name")).containsExactly("team-a.example.com", "team-b.example.com");
        } finally {
            deleteIfPresent(csiNodes, name);
            deleteIfPresent(webhookConfigs, name);
        }
    }

    private void deleteIfPresent(ResourceType<GenericObject> type, String name) {
        try {
            client.resources(type).delete(null, name);
        } catch (KubeApiException.NotFoundException gone) {
            // not created: the test failed before it, and that failure is the one to report
        }
    }

    private GenericObject deployment(String name, int replicas) {
        return TestKinds.deployment(ns, name, replicas).with("status", null);
    }

}
