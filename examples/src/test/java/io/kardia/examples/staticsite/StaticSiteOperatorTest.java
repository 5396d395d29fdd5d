package io.kardia.examples.staticsite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.CustomResourceDefinition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentStatus;
import io.kardia.core.model.Event;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.KubeObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.runtime.CachedClient;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The StaticSite operator on an in-process reference store, through its whole life cycle. */
@KardiaTest
class StaticSiteOperatorTest {
    private static final String NS = "web";

    private static ResourceClient<StaticSite> start(TestEnvironment env) throws InterruptedException {
        env.resources(CustomResourceDefinition.class).create(StaticSiteCrd.definition());
        env.createNamespace(NS);
        env.startManager(StaticSiteOperator::register);
        return env.resources(StaticSite.class);
    }

    private static StaticSite site(String name, StaticSiteSpec spec) {
        return StaticSite.of(ObjectMeta.of(NS, name), spec);
    }

    private static boolean controlledBy(KubeObject child, StaticSite site) {
        return child.metadata().controllerRef().map(OwnerReference::uid).filter(site.metadata().uid()::equals).isPresent();
    }

    private static boolean hasCondition(StaticSite site, String type, String status) {
        return site.status() != null && Condition.find(site.status().conditions(), type)
                .filter(c -> status.equals(c.status())).isPresent();
    }

    private static Predicate<StaticSite> observed(long generation, String type, String status) {
        return s -> s.status() != null && s.status().observedGeneration() != null
                && s.status().observedGeneration() == generation && hasCondition(s, type, status);
    }

    /** Runs a read-modify-write until it does not conflict with the operator's own writes. */
    private static <T> T retryOnConflict(String what, Supplier<T> write) {
        return Eventually.eventually(what, () -> {
            try {
                return Optional.of(write.get());
            } catch (KubeApiException.ConflictException e) {
                return Optional.<T>empty();
            }
        }, Optional::isPresent).orElseThrow();
    }

    private static List<Event> awaitEvent(TestEnvironment env, String reason) {
        return Eventually.eventually("an Event " + reason, () -> env.resources(Event.class).list(NS).items(),
                events -> events.stream().anyMatch(e -> reason.equals(e.reason())));
    }

    @Test
    void createsAnOwnedConfigMapAndDeployment(TestEnvironment env) throws Exception {
        ResourceClient<StaticSite> sites = start(env);
        StaticSite site = sites.create(site("hello", StaticSiteSpec.of(null, null, Map.of("index.html", "<h1>hi</h1>"))));

        ConfigMap cm = env.awaitObject(ConfigMap.class, NS, "hello-content", c -> controlledBy(c, site));
        assertThat(cm.data()).containsExactly(Map.entry("index.html", "<h1>hi</h1>"));
        Deployment d = env.awaitObject(Deployment.class, NS, "hello", dep -> controlledBy(dep, site));
        assertThat(d.spec().replicas()).isEqualTo(1);
        var pod = d.spec().template().spec();
        assertThat(pod.containers()).singleElement().satisfies(c -> {
            assertThat(c.image()).isEqualTo("nginx");
            assertThat(Json.toTree(c).at("/volumeMounts/0/mountPath").asText()).isEqualTo("/usr/share/nginx/html");
        });
        assertThat(Json.toTree(pod).at("/volumes/0/configMap/name").asText()).isEqualTo("hello-content");
        assertThat(d.spec().selector().matchLabels()).containsEntry("app.kubernetes.io/instance", "hello");

        StaticSite seen = env.awaitObject(StaticSite.class, NS, "hello", observed(1, StaticSiteStatus.PROGRESSING, "True"));
        assertThat(seen.metadata().finalizers()).contains(StaticSiteReconciler.FINALIZER);
        assertThat(hasCondition(seen, StaticSiteStatus.READY, "False")).isTrue();
        assertThat(hasCondition(seen, StaticSiteStatus.DEGRADED, "False")).isTrue();
    }

    @Test
    void propagatesSpecChangesAndBecomesReadyWhenTheDeploymentIsAvailable(TestEnvironment env) throws Exception {
        ResourceClient<StaticSite> sites = start(env);
        sites.create(site("blog", StaticSiteSpec.of("nginx:1.27", 1, Map.of("index.html", "v1"))));
        Deployment first = env.awaitObject(Deployment.class, NS, "blog", d -> true);
        String firstHash = first.spec().template().metadata().annotations().get(StaticSiteReconciler.CONTENT_HASH);

        retryOnConflict("the spec update", () -> sites.update(sites.get(NS, "blog")
                .withSpec(StaticSiteSpec.of("nginx:1.28", 3, Map.of("index.html", "v2", "a.html", "a")))));
        env.awaitObject(ConfigMap.class, NS, "blog-content",
                c -> c.data().equals(Map.of("index.html", "v2", "a.html", "a")));
        Deployment updated = env.awaitObject(Deployment.class, NS, "blog", d -> d.spec().replicas() == 3
                && "nginx:1.28".equals(d.spec().template().spec().containers().getFirst().image()));
        assertThat(updated.spec().template().metadata().annotations().get(StaticSiteReconciler.CONTENT_HASH))
                .as("a content change rolls the pods").isNotEqualTo(firstHash);
        env.awaitObject(StaticSite.class, NS, "blog", observed(2, StaticSiteStatus.PROGRESSING, "True"));

        // What the Deployment controller would report once the pods are up.
        retryOnConflict("the Deployment status update", () -> {
            Deployment d = env.resources(Deployment.class).get(NS, "blog");
            return env.resources(Deployment.class).updateStatus(d.withStatus(DeploymentStatus.builder()
                    .observedGeneration(d.metadata().generation()).replicas(3).updatedReplicas(3).readyReplicas(3)
                    .availableReplicas(3).build()));
        });
        StaticSite ready = env.awaitObject(StaticSite.class, NS, "blog", observed(2, StaticSiteStatus.READY, "True"));
        assertThat(hasCondition(ready, StaticSiteStatus.PROGRESSING, "False")).isTrue();
        assertThat(ready.status().availableReplicas()).isEqualTo(3);
        awaitEvent(env, "Ready");

        // A hand edit of an owned object is reverted.
        retryOnConflict("the hand edit", () -> env.resources(ConfigMap.class).update(
                env.resources(ConfigMap.class).get(NS, "blog-content").withData(Map.of("index.html", "defaced"))));
        env.awaitObject(ConfigMap.class, NS, "blog-content", c -> "v2".equals(c.data().get("index.html")));
    }

    @Test
    void theStoreRefusesAnInvalidSpecWithTheSchemasCauses(TestEnvironment env) throws Exception {
        start(env);
        var raw = env.client().resources(StaticSiteReconciler.GENERIC_TYPE);
        KubeApiException.InvalidException refused = catchThrowableOfType(KubeApiException.InvalidException.class,
                () -> raw.create(new GenericObject(StaticSite.TYPE.apiVersion(), StaticSite.KIND, ObjectMeta.of(NS, "bad"),
                        Map.of("spec", Map.of("replicas", 50, "image", "has spaces")))));
        assertThat(refused).isNotNull();
        assertThat(refused.code()).isEqualTo(422);
        assertThat(refused.status().details().causes()).extracting(c -> c.field() + ": " + c.message()).containsExactlyInAnyOrder(
                "spec.replicas: Invalid value: 50: spec.replicas in body should be less than or equal to 10",
                "spec.image: Invalid value: \"has spaces\": spec.image in body should match '^[^\\s]+$'");
        assertThat(raw.find(NS, "bad")).isEmpty();
    }

    @Test
    void aSiteStoredBeforeTheSchemaTightenedIsDegradedUntilItIsFixed(TestEnvironment env) throws Exception {
        start(env);
        // The store validates writes, not objects already stored: loosen the schema, store a bad site, tighten it.
        var crds = env.resources(CustomResourceDefinition.class);
        String crdName = StaticSiteCrd.definition().metadata().name();
        Map<String, Object> loose = new LinkedHashMap<>(StaticSiteCrd.openApiSchema());
        loose.put("properties", Map.of("spec", Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true),
                "status", Map.of("type", "object", "x-kubernetes-preserve-unknown-fields", true)));
        crds.update(StaticSiteCrd.definition(loose).withMetadata(crds.get(null, crdName).metadata()));
        var raw = env.client().resources(StaticSiteReconciler.GENERIC_TYPE);
        raw.create(new GenericObject(StaticSite.TYPE.apiVersion(), StaticSite.KIND, ObjectMeta.of(NS, "bad"),
                Map.of("spec", Map.of("replicas", 50, "image", "has spaces"))));
        crds.update(StaticSiteCrd.definition().withMetadata(crds.get(null, crdName).metadata()));

        StaticSite degraded = env.awaitObject(StaticSite.class, NS, "bad", observed(1, StaticSiteStatus.DEGRADED, "True"));
        Condition c = Condition.find(degraded.status().conditions(), StaticSiteStatus.DEGRADED).orElseThrow();
        assertThat(c.reason()).isEqualTo("InvalidSpec");
        assertThat(c.message()).contains("spec.replicas", "less than or equal to 10", "spec.image");
        assertThat(hasCondition(degraded, StaticSiteStatus.READY, "False")).isTrue();
        List<Event> events = awaitEvent(env, "InvalidSpec");
        assertThat(events).filteredOn(e -> "InvalidSpec".equals(e.reason()))
                .allSatisfy(e -> assertThat(e.type()).isEqualTo(Event.WARNING));
        assertThat(env.resources(Deployment.class).find(NS, "bad")).isEmpty();

        // Under the tightened schema a still-invalid edit is refused at the API; a valid one fixes the site.
        KubeApiException.InvalidException refused = catchThrowableOfType(KubeApiException.InvalidException.class,
                () -> raw.update(raw.get(NS, "bad").with("spec", Map.of("replicas", "three"))));
        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("spec.replicas in body must be of type integer: \"string\"");
        retryOnConflict("the spec fix", () -> raw.update(raw.get(NS, "bad").with("spec", Map.of("replicas", 2))));
        env.awaitObject(StaticSite.class, NS, "bad", observed(2, StaticSiteStatus.DEGRADED, "False"));
        assertThat(env.awaitObject(Deployment.class, NS, "bad", d -> true).spec().replicas()).isEqualTo(2);
    }

    @Test
    void deletingTheSiteRunsTheFinalizerCleanupAndTheSiteGoes(TestEnvironment env) throws Exception {
        ResourceClient<StaticSite> sites = start(env);
        StaticSite site = sites.create(site("gone", StaticSiteSpec.of(null, 1, Map.of("index.html", "bye"))));
        env.awaitObject(Deployment.class, NS, "gone", d -> controlledBy(d, site));
        env.awaitObject(StaticSite.class, NS, "gone", s -> s.metadata().finalizers().contains(StaticSiteReconciler.FINALIZER));

        sites.delete(NS, "gone");
        env.awaitAbsent(StaticSite.class, NS, "gone");
        env.awaitAbsent(Deployment.class, NS, "gone");
        env.awaitAbsent(ConfigMap.class, NS, "gone-content");
        awaitEvent(env, "CleanedUp");
    }

    @Test
    void theObjectsAndTheStatusAreAppliedSoFieldsOthersSetAreKept(TestEnvironment env) throws Exception {
        ResourceClient<StaticSite> sites = start(env);
        sites.create(site("shop", StaticSiteSpec.of(null, null, Map.of("index.html", "v1"))));
        ConfigMap cm = env.awaitObject(ConfigMap.class, NS, "shop-content", c -> true);
        assertThat(managers(cm)).contains("staticsite-controller/Apply/");
        env.awaitObject(StaticSite.class, NS, "shop", observed(1, StaticSiteStatus.PROGRESSING, "True"));
        assertThat(managers(sites.get(NS, "shop"))).contains("staticsite-controller/Apply/status");

        // Someone labels the ConfigMap and defaces its content: the content is taken back, the label stays.
        retryOnConflict("the hand edit", () -> {
            ConfigMap live = env.resources(ConfigMap.class).get(NS, "shop-content");
            return env.resources(ConfigMap.class).update(live.withData(Map.of("index.html", "defaced"))
                    .withMetadata(live.metadata().toBuilder().label("team", "web").build()));
        });
        ConfigMap back = env.awaitObject(ConfigMap.class, NS, "shop-content", c -> "v1".equals(c.data().get("index.html")));
        assertThat(back.metadata().labels()).containsEntry("team", "web")
                .containsEntry("app.kubernetes.io/instance", "shop");
    }

    /** {@code manager/operation/subresource} of every managedFields entry. */
    private static List<String> managers(KubeObject o) {
        List<String> out = new java.util.ArrayList<>();
        Json.toTree(o).at("/metadata/managedFields").forEach(e -> out.add(e.path("manager").asText() + "/"
                + e.path("operation").asText() + "/" + e.path("subresource").asText()));
        return out;
    }

    @Test
    void aConvergedSiteIsNotWrittenAgain(TestEnvironment env) throws Exception {
        env.resources(CustomResourceDefinition.class).create(StaticSiteCrd.definition());
        env.createNamespace(NS);
        env.resources(StaticSite.class).create(site("calm", StaticSiteSpec.of(null, 2, Map.of("a", "b"))));
        var raw = env.client().resources(StaticSiteReconciler.GENERIC_TYPE);
        var events = new java.util.concurrent.atomic.AtomicInteger();
        var reconciler = new StaticSiteReconciler(CachedClient.direct(env.client()), env.client(),
                (object, type, reason, message) -> events.incrementAndGet(), java.time.Clock.systemUTC());

        reconciler.reconcile(raw.get(NS, "calm")); // adds the finalizer, creates the objects, writes status
        GenericObject converged = raw.get(NS, "calm");
        String deploymentVersion = env.resources(Deployment.class).get(NS, "calm").metadata().resourceVersion();
        String contentVersion = env.resources(ConfigMap.class).get(NS, "calm-content").metadata().resourceVersion();
        int eventsBefore = events.get();

        reconciler.reconcile(converged);
        assertThat(raw.get(NS, "calm").metadata().resourceVersion()).isEqualTo(converged.metadata().resourceVersion());
        assertThat(env.resources(Deployment.class).get(NS, "calm").metadata().resourceVersion()).isEqualTo(deploymentVersion);
        assertThat(env.resources(ConfigMap.class).get(NS, "calm-content").metadata().resourceVersion())
                .isEqualTo(contentVersion);
        assertThat(events.get()).isEqualTo(eventsBefore);
    }
}
