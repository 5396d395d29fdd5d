package io.kardia.store;

import static io.kardia.store.TestKinds.CONFIGMAPS;
import static io.kardia.store.TestKinds.CRDS;
import static io.kardia.store.TestKinds.DEPLOYMENTS;
import static io.kardia.store.TestKinds.NAMESPACES;
import static io.kardia.store.TestKinds.PODS;
import static io.kardia.store.TestKinds.WIDGETS;
import static io.kardia.store.TestKinds.configMap;
import static io.kardia.store.TestKinds.deployment;
import static io.kardia.store.TestKinds.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.ApiResource;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.ServerResources;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.client.WriteOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectList;
import io.kardia.core.model.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Store semantics through core's {@link KubeClient}: the HTTP transport runs this same suite by
 * extending it. Each test works in its own namespace, so one store can serve the whole suite.
 */
@Timeout(30)
public abstract class KubeClientContractTest {
    protected KubeClient client;
    protected String ns;

    /** A client over a store the test may write to. */
    protected abstract KubeClient newClient();

    /** Drops all history up to the newest revision (the store's compaction). */
    protected abstract void compactHistory();

    @BeforeEach
    void setUpNamespace() {
        client = newClient();
        ns = "t-" + UUID.randomUUID().toString().substring(0, 8);
        client.resources(NAMESPACES).create(TestKinds.namespace(ns));
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    protected ResourceClient<GenericObject> pods() {
        return client.resources(PODS);
    }

    protected ResourceClient<GenericObject> configMaps() {
        return client.resources(CONFIGMAPS);
    }

    protected ResourceClient<GenericObject> deployments() {
        return client.resources(DEPLOYMENTS);
    }

    protected static GenericObject edit(GenericObject o, Consumer<ObjectNode> change) {
        ObjectNode tree = Json.toTree(o);
        change.accept(tree);
        return Json.fromTree(tree, GenericObject.class);
    }

    private static List<String> causeFields(KubeApiException e) {
        return e.status().details().causes().stream().map(Status.Cause::field).toList();
    }

    // ------------------------------------------------------------------ create

    @Test
    void createAssignsSystemFields() {
        GenericObject p = pods().create(pod(ns, "a", null));
        assertThat(p.metadata().uid()).hasSize(36);
        assertThat(p.metadata().creationTimestamp()).isNotNull();
        assertThat(p.metadata().generation()).isEqualTo(1L);
        assertThat(Long.parseLong(p.metadata().resourceVersion())).isPositive();
        assertThat(p.status()).containsEntry("phase", "Pending");
        assertThat(pods().get(ns, "a")).isEqualTo(p);
    }

    @Test
    void duplicateCreateIsAlreadyExists() {
        pods().create(pod(ns, "a", null));
        assertThatThrownBy(() -> pods().create(pod(ns, "a", null)))
                .isInstanceOf(KubeApiException.AlreadyExistsException.class)
                .hasMessage("pods \"a\" already exists");
    }

    // ------------------------------------------------------------------ pods/binding

    @Test
    void bindPodAssignsTheNodeOnceAndRefusesARebind() {
        pods().create(pod(ns, "a", null));

        client.bindPod(ns, "a", "node-1");

        GenericObject bound = pods().get(ns, "a");
        assertThat(bound.spec()).containsEntry("nodeName", "node-1");
        assertThat(bound.status().get("conditions").toString()).contains("PodScheduled").contains("True");
        assertThatThrownBy(() -> client.bindPod(ns, "a", "node-2"))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("already assigned to node \"node-1\"");
        assertThat(pods().get(ns, "a").spec()).containsEntry("nodeName", "node-1");
    }

    @Test
    void bindPodOfAMissingPodIsNotFoundAndAnEmptyNodeIsInvalid() {
        assertThatThrownBy(() -> client.bindPod(ns, "nope", "node-1"))
                .isInstanceOf(KubeApiException.NotFoundException.class);
        pods().create(pod(ns, "a", null));
        assertThatThrownBy(() -> client.bindPod(ns, "a", ""))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("target.name");
    }

    // ------------------------------------------------------------------ discovery, namespaces/finalize

    @Test
    void discoveryListsServedResourcesWithTheirVerbsAndNoSubresources() {
        ServerResources server = client.discoverResources();
        assertThat(server.failedGroupVersions()).isEmpty();
        ApiResource podsResource = server.resources().stream()
                .filter(r -> r.type().groupResource().equals("pods")).findFirst().orElseThrow();
        assertThat(podsResource.type().namespaced()).isTrue();
        assertThat(podsResource.type().kind()).isEqualTo("Pod");
        assertThat(podsResource.supports("list", "delete")).isTrue();
        assertThat(server.resources()).extracting(r -> r.type().groupResource())
                .contains("deployments.apps", "namespaces", "customresourcedefinitions.apiextensions.k8s.io")
                .noneMatch(name -> name.contains("/"));
    }

    @Test
    void finalizeNamespaceReplacesOnlyTheSpecFinalizers() {
        Namespace current = client.resources(Namespace.class).get(null, ns);
        Namespace edited = new Namespace(current.apiVersion(), current.kind(), current.metadata(),
                Map.of("finalizers", List.of("kubernetes", "example.com/mine")), current.status(), current.extra());

        Namespace stored = client.finalizeNamespace(edited);

        assertThat(stored.spec()).containsEntry("finalizers", List.of("kubernetes", "example.com/mine"));
        assertThatThrownBy(() -> client.finalizeNamespace(edited))
                .as("edited carries a resourceVersion from before the first finalize")
                .isInstanceOf(KubeApiException.ConflictException.class);
    }

    @Test
    void createInMissingNamespaceIsNotFound() {
        assertThatThrownBy(() -> pods().create(pod("nope", "a", null)))
                .isInstanceOf(KubeApiException.NotFoundException.class)
                .hasMessage("namespaces \"nope\" not found");
    }

    @Test
    void generateNameAddsFiveCharacters() {
        GenericObject o = configMap(ns, null, "v");
        o = o.withMetadata(o.metadata().toBuilder().name(null).generateName("gen-").build());
        GenericObject a = configMaps().create(o);
        GenericObject b = configMaps().create(o);
        assertThat(a.metadata().name()).matches("gen-[a-z0-9]{5}");
        assertThat(b.metadata().name()).isNotEqualTo(a.metadata().name());
    }

    @Test
    void resourceVersionOnCreateIsBadRequest() {
        GenericObject o = configMap(ns, "c", "v");
        GenericObject withRv = o.withMetadata(o.metadata().withResourceVersion("5"));
        assertThatThrownBy(() -> configMaps().create(withRv))
                .isInstanceOf(KubeApiException.BadRequestException.class)
                .hasMessageContaining("resourceVersion should not be set on objects to be created");
    }

    @Test
    void invalidNamesAndLabelsAreInvalidWithCauses() {
        GenericObject o = configMap(ns, "Bad_Name", "v");
        GenericObject bad = o.withMetadata(o.metadata().toBuilder().label("bad key!", "x").build());
        assertThatThrownBy(() -> configMaps().create(bad))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(causeFields(e)).contains("metadata.name", "metadata.labels");
                    assertThat(e.getMessage()).startsWith("ConfigMap \"Bad_Name\" is invalid: [metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain");
                });
        assertThat(configMaps().list(ns).items()).isEmpty();
    }

    @Test
    void deploymentValidation() {
        GenericObject d = edit(deployment(ns, "d", -1), t -> ((ObjectNode) t.at("/spec/template/metadata/labels")).put("app", "other"));
        assertThatThrownBy(() -> deployments().create(d))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> assertThat(causeFields(e))
                        .containsExactlyInAnyOrder("spec.replicas", "spec.template.metadata.labels"));
        GenericObject noContainers = edit(deployment(ns, "d", 1), t -> ((ObjectNode) t.at("/spec/template/spec")).putArray("containers"));
        assertThatThrownBy(() -> deployments().create(noContainers))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> assertThat(causeFields(e))
                        .containsExactly("spec.template.spec.containers"));
        GenericObject zeroZero = edit(deployment(ns, "d", 1), t -> ((ObjectNode) t.get("spec")).putObject("strategy")
                .put("type", "RollingUpdate").putObject("rollingUpdate").put("maxSurge", 0).put("maxUnavailable", "0%"));
        assertThatThrownBy(() -> deployments().create(zeroZero))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> assertThat(causeFields(e))
                        .containsExactly("spec.strategy.rollingUpdate.maxUnavailable"));
    }

    // ------------------------------------------------------------------ update

    @Test
    void staleUpdateConflictsAndUnconditionalUpdateSucceeds() {
        GenericObject v1 = configMaps().create(configMap(ns, "c", "1"));
        GenericObject v2 = configMaps().update(v1.with("data", Map.of("k", "2")));
        assertThat(v2.metadata().resourceVersion()).isNotEqualTo(v1.metadata().resourceVersion());
        assertThatThrownBy(() -> configMaps().update(v1.with("data", Map.of("k", "3"))))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessage("Operation cannot be fulfilled on configmaps \"c\": the object has been modified; please apply your changes to the latest version and try again");
        GenericObject unconditional = v1.withMetadata(v1.metadata().withResourceVersion(null)).with("data", Map.of("k", "4"));
        assertThat(configMaps().update(unconditional).fields().get("data")).isEqualTo(Map.of("k", "4"));
    }

    @Test
    void updateOfMissingObjectIsNotFound() {
        assertThatThrownBy(() -> configMaps().update(configMap(ns, "missing", "1")))
                .isInstanceOf(KubeApiException.NotFoundException.class);
    }

    @Test
    void pathAndBodyMustAgree() {
        configMaps().create(configMap(ns, "c", "1"));
        GenericObject c = configMaps().get(ns, "c");
        assertThatThrownBy(() -> client.resources(CONFIGMAPS).update(c.withMetadata(c.metadata().toBuilder().namespace("default").build())))
                .isInstanceOf(KubeApiException.NotFoundException.class);
        GenericObject other = configMaps().create(configMap(ns, "d", "1"));
        assertThatThrownBy(() -> configMaps().patch(ns, "c", PatchType.MERGE, "{\"metadata\":{\"name\":\"d\"}}"))
                .isInstanceOf(KubeApiException.BadRequestException.class)
                .hasMessage("the name of the object (d) does not match the name on the URL (c)");
        assertThat(other.metadata().name()).isEqualTo("d");
    }

    @Test
    void aShorterGracePeriodShortensAPendingPodDeletion() {
        pods().create(pod(ns, "p", "node-1"));
        GenericObject first = pods().delete(ns, "p", DeleteOptions.DEFAULT.withGracePeriodSeconds(60L));
        GenericObject shorter = pods().delete(ns, "p", DeleteOptions.DEFAULT.withGracePeriodSeconds(10L));
        assertThat(shorter.metadata().deletionGracePeriodSeconds()).isEqualTo(10L);
        assertThat(shorter.metadata().deletionTimestamp()).isBefore(first.metadata().deletionTimestamp());
        GenericObject longer = pods().delete(ns, "p", DeleteOptions.DEFAULT.withGracePeriodSeconds(120L));
        assertThat(longer.metadata().resourceVersion()).isEqualTo(shorter.metadata().resourceVersion());
        GenericObject status = pods().updateStatus(edit(longer, t -> ((ObjectNode) t.get("status")).put("phase", "Running")));
        assertThat(status.metadata().deletionTimestamp()).isEqualTo(shorter.metadata().deletionTimestamp());
        pods().delete(ns, "p", DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
        assertThat(pods().find(ns, "p")).isEmpty();
    }

    @Test
    void generationMovesOnlyWithSpec() {
        GenericObject d = deployments().create(deployment(ns, "d", 1));
        assertThat(d.metadata().generation()).isEqualTo(1L);
        GenericObject labelled = deployments().update(d.withMetadata(d.metadata().toBuilder().label("x", "y").finalizer("a.io/f").build()));
        assertThat(labelled.metadata().generation()).isEqualTo(1L);
        GenericObject scaled = deployments().update(edit(labelled, t -> ((ObjectNode) t.get("spec")).put("replicas", 3)));
        assertThat(scaled.metadata().generation()).isEqualTo(2L);
        GenericObject status = deployments().updateStatus(edit(scaled, t -> t.putObject("status").put("replicas", 3)));
        assertThat(status.metadata().generation()).isEqualTo(2L);
    }

    @Test
    void statusSubresourceSeparatesSpecAndStatus() {
        GenericObject d = deployments().create(deployment(ns, "d", 1));
        assertThat(d.status()).as("status is reset on create").isEmpty();
        GenericObject triedStatus = deployments().update(edit(d, t -> t.putObject("status").put("replicas", 9)));
        assertThat(triedStatus.status()).isEmpty();
        assertThat(triedStatus.metadata().resourceVersion()).as("nothing changed: no write").isEqualTo(d.metadata().resourceVersion());
        GenericObject viaStatus = deployments().updateStatus(edit(d, t -> {
            t.putObject("status").put("replicas", 2);
            ((ObjectNode) t.get("spec")).put("replicas", 5);
        }));
        assertThat(viaStatus.status()).containsEntry("replicas", 2);
        assertThat(viaStatus.spec()).containsEntry("replicas", 1);
    }

    @Test
    void noOpUpdateDoesNotWrite() {
        GenericObject c = configMaps().create(configMap(ns, "c", "1"));
        GenericObject same = configMaps().update(c);
        assertThat(same.metadata().resourceVersion()).isEqualTo(c.metadata().resourceVersion());
        GenericObject patched = configMaps().patch(ns, "c", PatchType.MERGE, "{\"data\":{\"k\":\"1\"}}");
        assertThat(patched.metadata().resourceVersion()).isEqualTo(c.metadata().resourceVersion());
    }

    @Test
    void podSpecIsImmutableExceptImage() {
        GenericObject p = pods().create(pod(ns, "p", null));
        GenericObject newImage = pods().update(edit(p, t -> ((ObjectNode) t.at("/spec/containers/0")).put("image", "nginx:2")));
        assertThat(newImage.metadata().resourceVersion()).isNotEqualTo(p.metadata().resourceVersion());
        assertThatThrownBy(() -> pods().update(edit(newImage, t -> ((ObjectNode) t.get("spec")).put("nodeName", "n1"))))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> assertThat(causeFields(e)).containsExactly("spec"));
    }

    @Test
    void deploymentSelectorIsImmutable() {
        GenericObject d = deployments().create(deployment(ns, "d", 1));
        GenericObject changed = edit(d, t -> {
            ((ObjectNode) t.at("/spec/selector/matchLabels")).put("tier", "x");
            ((ObjectNode) t.at("/spec/template/metadata/labels")).put("tier", "x");
        });
        assertThatThrownBy(() -> deployments().update(changed))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> {
                    assertThat(causeFields(e)).containsExactly("spec.selector");
                    assertThat(e.status().details().causes().get(0).message()).endsWith("field is immutable");
                });
    }

    // ------------------------------------------------------------------ delete

    @Test
    void finalizersKeepTheObjectUntilRemoved() throws Exception {
        GenericObject c = configMap(ns, "c", "1");
        GenericObject created = configMaps().create(c.withMetadata(c.metadata().toBuilder().finalizer("example.io/hold").build()));
        try (Watch<GenericObject> w = configMaps().watch(ns, WatchOptions.from(created.metadata().resourceVersion()))) {
            GenericObject deleting = configMaps().delete(ns, "c");
            assertThat(deleting.metadata().deletionTimestamp()).isNotNull();
            assertThat(deleting.metadata().deletionGracePeriodSeconds()).isEqualTo(0L);
            assertThat(configMaps().get(ns, "c").metadata().isBeingDeleted()).isTrue();
            assertThat(configMaps().delete(ns, "c").metadata().resourceVersion())
                    .as("deleting again is not an error and writes nothing").isEqualTo(deleting.metadata().resourceVersion());
            GenericObject latest = configMaps().get(ns, "c");
            assertThatThrownBy(() -> configMaps().update(latest.withMetadata(latest.metadata().toBuilder().finalizer("new.io/f").build())))
                    .isInstanceOf(KubeApiException.InvalidException.class);
            configMaps().update(latest.withMetadata(latest.metadata().withFinalizers(List.of())));
            assertThat(configMaps().find(ns, "c")).isEmpty();
            assertThat(nextNonBookmark(w).type()).isEqualTo(WatchEvent.Type.MODIFIED);
            WatchEvent<GenericObject> gone = nextNonBookmark(w);
            assertThat(gone.type()).isEqualTo(WatchEvent.Type.DELETED);
            assertThat(Long.parseLong(gone.resourceVersion())).isGreaterThan(Long.parseLong(deleting.metadata().resourceVersion()));
        }
    }

    @Test
    void boundPodsAreDeletedGracefullyAndUnboundOnesAtOnce() {
        pods().create(pod(ns, "bound", "node-1"));
        pods().create(pod(ns, "unbound", null));
        GenericObject graceful = pods().delete(ns, "bound");
        assertThat(graceful.metadata().deletionGracePeriodSeconds()).isEqualTo(30L);
        assertThat(graceful.metadata().deletionTimestamp()).isAfter(graceful.metadata().creationTimestamp().plusSeconds(25));
        assertThat(pods().find(ns, "bound")).isPresent();
        pods().delete(ns, "bound", DeleteOptions.DEFAULT.withGracePeriodSeconds(0L));
        assertThat(pods().find(ns, "bound")).isEmpty();
        pods().delete(ns, "unbound");
        assertThat(pods().find(ns, "unbound")).isEmpty();
    }

    @Test
    void propagationPoliciesAddGarbageCollectorFinalizers() {
        configMaps().create(configMap(ns, "fg", "1"));
        configMaps().create(configMap(ns, "or", "1"));
        configMaps().create(configMap(ns, "bg", "1"));
        assertThat(configMaps().delete(ns, "fg", DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Foreground))
                .metadata().finalizers()).containsExactly("foregroundDeletion");
        assertThat(configMaps().delete(ns, "or", DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Orphan))
                .metadata().finalizers()).containsExactly("orphan");
        configMaps().delete(ns, "bg", DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Background));
        assertThat(configMaps().list(ns).items()).extracting(o -> o.metadata().name()).containsExactly("fg", "or");
    }

    @Test
    void deletePreconditions() {
        GenericObject c = configMaps().create(configMap(ns, "c", "1"));
        assertThatThrownBy(() -> configMaps().delete(ns, "c", DeleteOptions.DEFAULT.withPreconditions("other-uid", null)))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("Precondition failed: UID in precondition: other-uid");
        assertThatThrownBy(() -> configMaps().delete(ns, "c", DeleteOptions.DEFAULT.withPreconditions(null, "1")))
                .isInstanceOf(KubeApiException.ConflictException.class)
                .hasMessageContaining("Precondition failed: ResourceVersion in precondition: 1");
        configMaps().delete(ns, "c", DeleteOptions.DEFAULT.withPreconditions(c.metadata().uid(), c.metadata().resourceVersion()));
        assertThatThrownBy(() -> configMaps().delete(ns, "c")).isInstanceOf(KubeApiException.NotFoundException.class);
    }

    @Test
    void dryRunStoresNothing() {
        GenericObject would = configMaps().create(configMap(ns, "c", "1"), WriteOptions.DRY_RUN);
        assertThat(would.metadata().uid()).isNotNull();
        assertThat(configMaps().find(ns, "c")).isEmpty();
        GenericObject real = configMaps().create(configMap(ns, "c", "1"));
        configMaps().update(real.with("data", Map.of("k", "2")), WriteOptions.DRY_RUN);
        configMaps().delete(ns, "c", new DeleteOptions(null, null, null, null, true));
        assertThat(configMaps().get(ns, "c")).isEqualTo(real);
    }

    @Test
    void namespaceDeletionRemovesItsContentAndSystemNamespacesStay() {
        configMaps().create(configMap(ns, "c", "1"));
        client.resources(NAMESPACES).delete(null, ns);
        assertThat(configMaps().find(ns, "c")).isEmpty();
        assertThat(client.resources(NAMESPACES).find(null, ns)).isEmpty();
        assertThatThrownBy(() -> client.resources(NAMESPACES).delete(null, "default"))
                .isInstanceOf(KubeApiException.ForbiddenException.class);
        assertThat(client.resources(NAMESPACES).list(null).items()).extracting(n -> n.metadata().name())
                .contains("default", "kube-system", "kube-public", "kube-node-lease");
    }

    @Test
    void namespaceWithLingeringContentTerminatesUntilItIsGone() {
        GenericObject held = configMap(ns, "held", "1");
        configMaps().create(held.withMetadata(held.metadata().toBuilder().finalizer("example.io/hold").build()));
        configMaps().create(configMap(ns, "free", "1"));
        GenericObject terminating = client.resources(NAMESPACES).delete(null, ns);
        assertThat(terminating.metadata().deletionTimestamp()).isNotNull();
        assertThat(terminating.status()).containsEntry("phase", "Terminating");
        assertThat(configMaps().find(ns, "free")).isEmpty();
        assertThatThrownBy(() -> configMaps().create(configMap(ns, "new", "1")))
                .isInstanceOf(KubeApiException.ForbiddenException.class)
                .hasMessageContaining("because it is being terminated");
        GenericObject h = configMaps().get(ns, "held");
        configMaps().update(h.withMetadata(h.metadata().withFinalizers(List.of())));
        org.awaitility.Awaitility.await().until(() -> client.resources(NAMESPACES).find(null, ns).isEmpty());
    }

    // ------------------------------------------------------------------ patch

    @Test
    void mergePatchWithResourceVersionPrecondition() {
        GenericObject c = configMaps().create(configMap(ns, "c", "1"));
        GenericObject p = configMaps().patch(ns, "c", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"app\":null,\"x\":\"y\"}},\"data\":{\"n\":\"2\"}}");
        assertThat(p.metadata().labels()).containsExactly(Map.entry("x", "y"));
        assertThat(p.fields().get("data")).isEqualTo(Map.of("k", "1", "n", "2"));
        assertThatThrownBy(() -> configMaps().patch(ns, "c", PatchType.MERGE,
                "{\"metadata\":{\"resourceVersion\":\"" + c.metadata().resourceVersion() + "\"},\"data\":{\"n\":\"3\"}}"))
                .isInstanceOf(KubeApiException.ConflictException.class);
    }

    @Test
    void jsonPatch() {
        configMaps().create(configMap(ns, "c", "1"));
        GenericObject p = configMaps().patch(ns, "c", PatchType.JSON,
                "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"1\"},{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"2\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{}},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/annotations/example.com~1x\",\"value\":\"v\"},"
                        + "{\"op\":\"copy\",\"from\":\"/data/k\",\"path\":\"/data/copy\"}]");
        assertThat(p.fields().get("data")).isEqualTo(Map.of("k", "2", "copy", "2"));
        assertThat(p.metadata().annotations()).containsEntry("example.com/x", "v");
        assertThatThrownBy(() -> configMaps().patch(ns, "c", PatchType.JSON, "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"1\"}]"))
                .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(422));
        assertThatThrownBy(() -> configMaps().patch(ns, "c", PatchType.JSON, "{not json"))
                .isInstanceOf(KubeApiException.BadRequestException.class);
    }

    @Test
    void strategicMergePatchMergesContainersByName() {
        GenericObject d = edit(deployment(ns, "d", 1), t -> ((ObjectNode) t.at("/spec/template/spec")).set("containers",
                Json.toTree(pod(ns, "x", null)).at("/spec/containers")));
        deployments().create(d);
        GenericObject p = deployments().patch(ns, "d", PatchType.STRATEGIC, """
                {"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:2","env":[{"name":"B","value":"2"}]},
                                       {"name":"sidecar","$patch":"delete"}]}}}}""");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
                p.spec().get("template")).get("spec")).get("containers");
        assertThat(containers).hasSize(1);
        assertThat(containers.get(0)).containsEntry("image", "nginx:2")
                .containsEntry("ports", List.of(Map.of("containerPort", 80, "protocol", "TCP")));
        assertThat(containers.get(0).get("env")).isEqualTo(List.of(Map.of("name", "A", "value", "1"), Map.of("name", "B", "value", "2")));
        assertThat(p.metadata().generation()).isEqualTo(2L);
    }

    @Test
    void strategicPatchOfCustomKindIsUnsupportedMediaType() {
        if (client.resources(CRDS).find(null, "widgets.example.kardia.io").isEmpty()) {
            client.resources(CRDS).create(TestKinds.widgetCrd());
        }
        client.resources(WIDGETS).create(TestKinds.widget(ns, "w"));
        assertThatThrownBy(() -> client.resources(WIDGETS).patch(ns, "w", PatchType.STRATEGIC, "{\"spec\":{\"size\":2}}"))
                .isInstanceOfSatisfying(KubeApiException.class, e -> assertThat(e.code()).isEqualTo(415));
    }

    // ------------------------------------------------------------------ custom resources

    @Test
    void customResourceDefinitionsMakeKindsServable() {
        ResourceClient<GenericObject> widgets = client.resources(WIDGETS);
        client.resources(CRDS).find(null, "widgets.example.kardia.io").ifPresent(c -> client.resources(CRDS).delete(null, c.metadata().name()));
        assertThatThrownBy(() -> widgets.list(ns)).isInstanceOf(KubeApiException.NotFoundException.class);
        GenericObject crd = client.resources(CRDS).create(TestKinds.widgetCrd());
        assertThat(crd.status()).containsKey("conditions");
        GenericObject w = widgets.create(TestKinds.widget(ns, "w"));
        assertThat(w.status()).as("status subresource: dropped on create").isEmpty();
        assertThat(w.metadata().generation()).isEqualTo(1L);
        GenericObject w2 = widgets.update(w.with("spec", Map.of("size", 2)));
        assertThat(w2.metadata().generation()).isEqualTo(2L);
        client.resources(CRDS).delete(null, "widgets.example.kardia.io");
        assertThatThrownBy(() -> widgets.get(ns, "w")).isInstanceOf(KubeApiException.NotFoundException.class)
                .hasMessage("the server could not find the requested resource");
        client.resources(CRDS).create(TestKinds.widgetCrd());
        assertThat(widgets.list(ns).items()).as("objects went with their definition").isEmpty();
    }

    @Test
    void invalidCrdIsRejected() {
        GenericObject bad = edit(TestKinds.widgetCrd(), t -> {
            ((ObjectNode) t.get("metadata")).put("name", "wrong.example.kardia.io");
            ((ObjectNode) t.get("spec")).put("scope", "Galaxy");
        });
        assertThatThrownBy(() -> client.resources(CRDS).create(bad))
                .isInstanceOfSatisfying(KubeApiException.InvalidException.class, e -> assertThat(causeFields(e))
                        .containsExactlyInAnyOrder("metadata.name", "spec.scope"));
    }

    // ------------------------------------------------------------------ list

    @Test
    void pagedListIsConsistentAtTheFirstPagesRevision() {
        for (int i = 0; i < 10; i++) {
            configMaps().create(configMap(ns, "c" + i, "v"));
        }
        ObjectList<GenericObject> first = configMaps().list(ns, ListOptions.all().withLimit(4));
        assertThat(first.items()).hasSize(4);
        assertThat(first.remainingItemCount()).isEqualTo(6L);
        configMaps().delete(ns, "c7");
        configMaps().create(configMap(ns, "c99", "v"));
        configMaps().update(configMaps().get(ns, "c5").with("data", Map.of("k", "changed")));
        List<GenericObject> all = new ArrayList<>(first.items());
        ObjectList<GenericObject> page = first;
        while (page.hasMore()) {
            page = configMaps().list(ns, ListOptions.all().withLimit(4).withContinue(page.continueToken()));
            assertThat(page.resourceVersion()).isEqualTo(first.resourceVersion());
            all.addAll(page.items());
        }
        assertThat(all).extracting(o -> o.metadata().name())
                .containsExactly("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9");
        assertThat(all.get(5).fields().get("data")).isEqualTo(Map.of("k", "v"));
        assertThat(configMaps().list(ns).items()).extracting(o -> o.metadata().name()).contains("c99").doesNotContain("c7");
    }

    @Test
    void listAtExactOlderRevision() {
        GenericObject a = configMaps().create(configMap(ns, "a", "1"));
        configMaps().update(a.with("data", Map.of("k", "2")));
        ObjectList<GenericObject> old = configMaps().list(ns, ListOptions.all().withResourceVersion(a.metadata().resourceVersion(), "Exact"));
        assertThat(old.resourceVersion()).isEqualTo(a.metadata().resourceVersion());
        assertThat(old.items()).singleElement().satisfies(o -> assertThat(o.fields().get("data")).isEqualTo(Map.of("k", "1")));
    }

    @Test
    void listResourceVersionParameters() {
        GenericObject a = configMaps().create(configMap(ns, "a", "1"));
        assertThat(configMaps().list(ns, ListOptions.all().withResourceVersion("0", null)).items()).hasSize(1);
        assertThat(configMaps().list(ns, ListOptions.all().withResourceVersion(a.metadata().resourceVersion(), "NotOlderThan")).items()).hasSize(1);
        assertThatThrownBy(() -> configMaps().list(ns, ListOptions.all().withResourceVersion("abc", null)))
                .isInstanceOf(KubeApiException.BadRequestException.class);
        assertThatThrownBy(() -> configMaps().list(ns, ListOptions.all().withResourceVersion(null, "Exact")))
                .isInstanceOf(KubeApiException.BadRequestException.class);
        assertThatThrownBy(() -> configMaps().list(ns, ListOptions.all().withResourceVersion("0", "Exact")))
                .isInstanceOf(KubeApiException.BadRequestException.class);
        configMaps().update(a.with("data", Map.of("k", "2")));
        compactHistory();
        assertThatThrownBy(() -> configMaps().list(ns, ListOptions.all().withResourceVersion(a.metadata().resourceVersion(), "Exact")))
                .isInstanceOfSatisfying(KubeApiException.GoneException.class, e -> assertThat(e.reason()).isEqualTo("Expired"));
    }

    @Test
    void staleContinueTokenIsExpired() {
        for (int i = 0; i < 3; i++) {
            configMaps().create(configMap(ns, "c" + i, "v"));
        }
        ObjectList<GenericObject> first = configMaps().list(ns, ListOptions.all().withLimit(1));
        configMaps().create(configMap(ns, "later", "v"));
        compactHistory();
        assertThatThrownBy(() -> configMaps().list(ns, ListOptions.all().withLimit(1).withContinue(first.continueToken())))
                .isInstanceOfSatisfying(KubeApiException.GoneException.class, e -> {
                    assertThat(e.reason()).isEqualTo("Expired");
                    assertThat(e.getMessage()).startsWith("The provided continue parameter is too old");
                });
        assertThatThrownBy(() -> configMaps().list(ns, ListOptions.all().withContinue("garbage")))
                .isInstanceOf(KubeApiException.BadRequestException.class);
        ObjectList<GenericObject> fresh = configMaps().list(ns, ListOptions.all().withLimit(1));
        assertThatThrownBy(() -> configMaps().list("default", ListOptions.all().withLimit(1).withContinue(fresh.continueToken())))
                .isInstanceOf(KubeApiException.BadRequestException.class);
    }

    @Test
    void labelAndFieldSelectors() {
        configMaps().create(configMap(ns, "a", "1"));
        GenericObject b = configMap(ns, "b", "1");
        configMaps().create(b.withMetadata(b.metadata().withLabels(Map.of("app", "other"))));
        assertThat(configMaps().list(ns, ListOptions.all().withLabelSelector("app in (demo,x)")).items())
                .extracting(o -> o.metadata().name()).containsExactly("a");
        assertThat(configMaps().list(ns, ListOptions.all().withLabelSelector("app!=demo")).items())
                .extracting(o -> o.metadata().name()).containsExactly("b");
        assertThat(configMaps().list(ns, ListOptions.all().withFieldSelector("metadata.name=b")).items())
                .extracting(o -> o.metadata().name()).containsExactly("b");
        pods().create(pod(ns, "on-n1", "n1"));
        pods().create(pod(ns, "free", null));
        assertThat(pods().list(ns, ListOptions.all().withFieldSelector("spec.nodeName=n1")).items())
                .extracting(o -> o.metadata().name()).containsExactly("on-n1");
        assertThat(pods().list(ns, ListOptions.all().withFieldSelector("spec.nodeName=")).items())
                .extracting(o -> o.metadata().name()).containsExactly("free");
        assertThatThrownBy(() -> pods().list(ns, ListOptions.all().withFieldSelector("spec.foo=x")))
                .isInstanceOf(KubeApiException.BadRequestException.class).hasMessageContaining("field label not supported: spec.foo");
        assertThatThrownBy(() -> pods().list(ns, ListOptions.all().withLabelSelector("a in (")))
                .isInstanceOf(KubeApiException.BadRequestException.class);
    }

    @Test
    void deleteCollectionDeletesWhatTheSelectorsMatchAndKeepsWhatAFinalizerHolds() {
        configMaps().create(configMap(ns, "a", "1"));
        GenericObject held = configMap(ns, "held", "1");
        configMaps().create(held.withMetadata(held.metadata().toBuilder().finalizer("example.com/hold").build()));
        GenericObject other = configMap(ns, "other", "1");
        configMaps().create(other.withMetadata(other.metadata().withLabels(Map.of("app", "other"))));

        configMaps().deleteCollection(ns, ListOptions.all().withLabelSelector("app=demo"), DeleteOptions.DEFAULT);

        assertThat(names(configMaps().list(ns))).containsExactlyInAnyOrder("held", "other");
        assertThat(configMaps().get(ns, "held").metadata().isBeingDeleted()).isTrue();
        assertThat(configMaps().get(ns, "other").metadata().isBeingDeleted()).isFalse();
        assertThatThrownBy(() -> configMaps().deleteCollection(null, ListOptions.all(), DeleteOptions.DEFAULT))
                .isInstanceOf(KubeApiException.class);
    }

    // ------------------------------------------------------------------ watch

    @Test
    void watchReplaysEveryChangeAfterItsRevision() throws Exception {
        GenericObject a = configMaps().create(configMap(ns, "a", "1"));
        GenericObject a2 = configMaps().update(a.with("data", Map.of("k", "2")));
        configMaps().create(configMap(ns, "b", "1"));
        configMaps().delete(ns, "a");
        try (Watch<GenericObject> w = configMaps().watch(ns, WatchOptions.from(a.metadata().resourceVersion()))) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WatchEvent<GenericObject> e = nextNonBookmark(w);
                seen.add(e.type() + " " + e.object().metadata().name());
            }
            assertThat(seen).containsExactly("MODIFIED a", "ADDED b", "DELETED a");
            configMaps().create(configMap(ns, "c", "1"));
            WatchEvent<GenericObject> live = nextNonBookmark(w);
            assertThat(live.type()).isEqualTo(WatchEvent.Type.ADDED);
            assertThat(live.object().metadata().name()).isEqualTo("c");
        }
        assertThat(a2.metadata().resourceVersion()).isNotNull();
    }

    @Test
    void watchWithoutRevisionStartsWithTheCurrentState() throws Exception {
        configMaps().create(configMap(ns, "a", "1"));
        configMaps().create(configMap(ns, "b", "1"));
        try (Watch<GenericObject> w = configMaps().watch(ns, new WatchOptions(null, null, null, false, 0))) {
            assertThat(List.of(nextNonBookmark(w), nextNonBookmark(w))).extracting(e -> e.type() + " " + e.object().metadata().name())
                    .containsExactly("ADDED a", "ADDED b");
            configMaps().delete(ns, "b");
            assertThat(nextNonBookmark(w).type()).isEqualTo(WatchEvent.Type.DELETED);
        }
    }

    @Test
    void watchFiltersBySelectorAndReportsLeavingAsDeleted() throws Exception {
        GenericObject a = configMaps().create(configMap(ns, "a", "1"));
        try (Watch<GenericObject> w = configMaps().watch(ns, WatchOptions.from(a.metadata().resourceVersion()).withLabelSelector("app=demo"))) {
            GenericObject other = configMap(ns, "other", "1");
            configMaps().create(other.withMetadata(other.metadata().withLabels(Map.of("app", "x"))));
            GenericObject left = configMaps().update(a.withMetadata(a.metadata().withLabels(Map.of("app", "x"))));
            configMaps().update(left.withMetadata(left.metadata().withLabels(Map.of("app", "demo"))));
            assertThat(List.of(nextNonBookmark(w), nextNonBookmark(w))).extracting(e -> e.type() + " " + e.object().metadata().name())
                    .containsExactly("DELETED a", "ADDED a");
        }
    }

    @Test
    void watchFromCompactedRevisionEndsWithGone() throws Exception {
        GenericObject a = configMaps().create(configMap(ns, "a", "1"));
        configMaps().update(a.with("data", Map.of("k", "2")));
        configMaps().create(configMap(ns, "b", "1"));
        compactHistory();
        try (Watch<GenericObject> w = configMaps().watch(ns, WatchOptions.from(a.metadata().resourceVersion()))) {
            WatchEvent<GenericObject> e = w.next();
            assertThat(e.type()).isEqualTo(WatchEvent.Type.ERROR);
            assertThat(e.status().code()).isEqualTo(410);
            assertThat(e.status().reason()).isEqualTo("Expired");
            assertThat(e.status().message()).startsWith("too old resource version: " + a.metadata().resourceVersion() + " (");
            assertThat(w.next()).isNull();
        }
    }

    @Test
    void watchTimeoutEndsTheStream() throws Exception {
        try (Watch<GenericObject> w = configMaps().watch(ns, new WatchOptions(null, null, null, false, 1))) {
            assertThat(w.next()).isNull();
        }
    }

    @Test
    void closedWatchEnds() throws Exception {
        Watch<GenericObject> w = configMaps().watch(ns, WatchOptions.from(client.resources(NAMESPACES).get(null, ns).metadata().resourceVersion()));
        w.close();
        assertThat(w.next()).isNull();
    }

    protected static WatchEvent<GenericObject> nextNonBookmark(Watch<GenericObject> w) throws InterruptedException {
        while (true) {
            WatchEvent<GenericObject> e = w.next();
            assertThat(e).as("watch ended early").isNotNull();
            if (e.type() != WatchEvent.Type.BOOKMARK) {
                return e;
            }
        }
    }

    protected static Set<String> names(ObjectList<GenericObject> l) {
        return l.items().stream().map(o -> o.metadata().name()).collect(Collectors.toSet());
    }
}
