package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Container;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Secret;
import io.kardia.informer.CacheSyncTimeoutException;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.workqueue.RateLimiters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

@KardiaTest
class ControllerTest {

    /** Short backoff so retries show up quickly. */
    private static final io.kardia.workqueue.RateLimiter<Request> FAST = RateLimiters.exponentialFailure(
            Duration.ofMillis(1), Duration.ofMillis(50));

    @Test
    void reconcilesEachObjectOfThePrimaryKindWithTheCachedObject(TestEnvironment env) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        cms.create(configMap("default", "before"));
        env.startManager(m -> m.newController().forKind(ConfigMap.class)
                .complete(cm -> {
                    seen.add(cm.key() + "=" + cm.data().get("k"));
                    return Result.done();
                }));
        cms.create(configMap("default", "after", Map.of("k", "w")));
        await().untilAsserted(() -> assertThat(seen).contains("default/before=v", "default/after=w"));
    }

    @Test
    void absentObjectsGoToReconcileAbsent(TestEnvironment env) throws Exception {
        List<Request> absent = new CopyOnWriteArrayList<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        cms.create(configMap("default", "doomed"));
        env.startManager(m -> m.newController().forKind(ConfigMap.class).complete(new TypedReconciler<>() {
            @Override
            public Result reconcile(ConfigMap object) {
                return Result.done();
            }

            @Override
            public Result reconcileAbsent(Request request) {
                absent.add(request);
                return Result.done();
            }
        }));
        cms.delete("default", "doomed");
        await().untilAsserted(() -> assertThat(absent).contains(new Request("default", "doomed")));
    }

    @Test
    void ownsEnqueuesTheControllerOwnerAndWatchesUsesTheMapper(TestEnvironment env) throws Exception {
        List<Request> requests = new CopyOnWriteArrayList<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        ConfigMap owner = cms.create(configMap("default", "owner"));
        env.startManager(m -> m.newController().forKind(ConfigMap.class)
                .withEventFilter(EventFilters.matching(cm -> cm.metadata().name().equals("owner")))
                .owns(Secret.class)
                .watches(Pod.class, pod -> List.of(new Request("default", "owner")))
                .build(r -> {
                    requests.add(r);
                    return Result.done();
                }));
        await().untilAsserted(() -> assertThat(requests).containsExactly(new Request("default", "owner")));
        requests.clear();
        // A secret owned by the ConfigMap wakes the owner; one owned by something else does not.
        ObjectMeta owned = ObjectMeta.builder().namespace("default").name("owned")
                .ownerReference(OwnerReference.controllerOf(owner)).build();
        env.resources(Secret.class).create(Secret.ofStrings(owned, Map.of("a", "b")));
        env.resources(Secret.class).create(Secret.ofStrings(ObjectMeta.of("default", "unowned"), Map.of("a", "b")));
        await().untilAsserted(() -> assertThat(requests).containsExactly(new Request("default", "owner")));
        requests.clear();
        // any Pod maps to the owner through the watches(...) mapper
        env.resources(Pod.class).create(Pod.of(ObjectMeta.of("default", "p"), PodSpec.of(Container.of("c", "busybox"))));
        await().untilAsserted(() -> assertThat(requests).containsExactly(new Request("default", "owner")));
    }

    @Test
    void ownsAndWatchesTakeBuiltInKindsWithoutATypedModel(TestEnvironment env) throws Exception {
        List<Request> requests = new CopyOnWriteArrayList<>();
        ConfigMap owner = env.resources(ConfigMap.class).create(configMap("default", "owner"));
        env.startManager(m -> m.newController().forKind(ConfigMap.class)
                .withEventFilter(EventFilters.matching(cm -> false))
                .owns(ResourceTypes.STATEFUL_SET)
                .watches(ResourceTypes.SERVICE, svc -> List.of(new Request("default", "svc-" + svc.metadata().name())))
                .build(r -> {
                    requests.add(r);
                    return Result.done();
                }));
        ObjectMeta owned = ObjectMeta.builder().namespace("default").name("db")
                .ownerReference(OwnerReference.controllerOf(owner)).build();
        env.client().resources(ResourceTypes.STATEFUL_SET).create(GenericObject.of(ResourceTypes.STATEFUL_SET, owned)
                .withAt("spec.serviceName", "db")
                .withAt("spec.selector.matchLabels", Map.of("app", "db"))
                .withAt("spec.template", PodTemplateSpec.of(ObjectMeta.builder().label("app", "db").build(),
                        PodSpec.of(Container.of("db", "postgres")))));
        await().untilAsserted(() -> assertThat(requests).containsExactly(new Request("default", "owner")));
        requests.clear();
        env.client().resources(ResourceTypes.SERVICE).create(GenericObject.of(ResourceTypes.SERVICE, ObjectMeta.of("default", "web"))
                .withAt("spec.ports", List.of(Map.of("port", 80))));
        await().untilAsserted(() -> assertThat(requests).containsExactly(new Request("default", "svc-web")));
        env.client().resources(ResourceTypes.STATEFUL_SET).delete("default", "db");
        env.awaitAbsent(ResourceTypes.STATEFUL_SET, "default", "db");
        await().untilAsserted(() -> assertThat(requests).contains(new Request("default", "owner")));
    }

    @Test
    void namespaceScopingLimitsWhatIsWatchedAndReconciled(TestEnvironment env) throws Exception {
        env.createNamespace("team-a");
        List<String> seen = new CopyOnWriteArrayList<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        cms.create(configMap("default", "outside"));
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).namespace("team-a")
                .complete(cm -> {
                    seen.add(cm.key());
                    return Result.done();
                }));
        cms.create(configMap("team-a", "inside"));
        await().untilAsserted(() -> assertThat(seen).contains("team-a/inside"));
        cms.create(configMap("default", "outside-later"));
        cms.create(configMap("team-a", "marker"));
        await().untilAsserted(() -> assertThat(seen).contains("team-a/marker"));
        assertThat(seen).allMatch(k -> k.startsWith("team-a/"));
        assertThat(manager.informers().informers()).singleElement()
                .satisfies(i -> assertThat(i.namespace()).isEqualTo("team-a"));
    }

    @Test
    void eventFiltersDropEventsOfThePrimaryKind(TestEnvironment env) throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        env.startManager(m -> m.newController().forKind(ConfigMap.class)
                .withEventFilter(EventFilters.hasLabel("app", "x"))
                .complete(cm -> {
                    seen.add(cm.metadata().name());
                    return Result.done();
                }));
        cms.create(configMap("default", "ignored"));
        ConfigMap labelled = ConfigMap.of(ObjectMeta.builder().namespace("default").name("wanted").label("app", "x").build(),
                Map.of());
        cms.create(labelled);
        await().untilAsserted(() -> assertThat(seen).contains("wanted"));
        assertThat(seen).doesNotContain("ignored");
    }

    @Test
    void aThrowingReconcilerIsRetriedWithBackoffAndItsWorkerLivesOn(TestEnvironment env) throws Exception {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).rateLimiter(FAST)
                .complete(cm -> {
                    int n = attempts.computeIfAbsent(cm.metadata().name(), k -> new AtomicInteger()).incrementAndGet();
                    if (cm.metadata().name().equals("flaky") && n <= 2) {
                        throw new AssertionError("an Error, not an Exception: attempt " + n);
                    }
                    if (cm.metadata().name().equals("flaky") && n <= 4) {
                        throw new IllegalStateException("attempt " + n);
                    }
                    if (cm.metadata().name().equals("flaky") && n == 5) {
                        throw KubeApiException.of(io.kardia.core.model.Status.staleResourceVersion(
                                new io.kardia.core.model.Status.ResourceName("", "configmaps", "flaky")));
                    }
                    return Result.done();
                }));
        cms.create(configMap("default", "flaky"));
        await().untilAsserted(() -> assertThat(attempts.get("flaky")).hasValue(6));
        // the single worker survived five failures (a conflict among them) and still serves other keys
        cms.create(configMap("default", "healthy"));
        await().untilAsserted(() -> assertThat(attempts.get("healthy")).hasValue(1));
        assertThat(manager.scrapeMetrics())
                .contains("controller_runtime_reconcile_errors_total{controller=\"configmap\"} 5.0")
                .contains("controller_runtime_reconcile_total{controller=\"configmap\",result=\"error\"} 5.0");
    }

    @Test
    void aTerminalErrorIsNotRetriedUntilTheObjectChanges(TestEnvironment env) throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).rateLimiter(FAST)
                .complete(cm -> {
                    attempts.incrementAndGet();
                    if (!"fixed".equals(cm.data().get("k"))) {
                        throw new TerminalException("spec is invalid: k must be 'fixed'");
                    }
                    return Result.done();
                }));
        ConfigMap bad = cms.create(configMap("default", "bad", Map.of("k", "broken")));
        await().untilAsserted(() -> assertThat(attempts).hasValue(1));
        // A marker reconcile through the same single worker: once it ran, a retry of "bad" would have been due.
        Controller controller = manager.controllers().getFirst();
        cms.create(configMap("default", "marker", Map.of("k", "fixed")));
        await().untilAsserted(() -> assertThat(attempts).hasValue(2));
        assertThat(controller.queueLength()).isZero();
        cms.update(bad.withData(Map.of("k", "fixed")));
        await().untilAsserted(() -> assertThat(attempts).hasValue(3));
        assertThat(manager.scrapeMetrics())
                .contains("controller_runtime_terminal_reconcile_errors_total{controller=\"configmap\"} 1.0");
    }

    @Test
    void requeueAfterAndRequeueBringTheKeyBack(TestEnvironment env) throws Exception {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        env.startManager(m -> m.newController().forKind(ConfigMap.class).rateLimiter(FAST)
                .complete(cm -> {
                    int n = attempts.computeIfAbsent(cm.metadata().name(), k -> new AtomicInteger()).incrementAndGet();
                    if (n >= 3) {
                        return Result.done();
                    }
                    return cm.metadata().name().equals("later") ? Result.requeueAfter(Duration.ofMillis(20)) : Result.requeue();
                }));
        cms.create(configMap("default", "later"));
        cms.create(configMap("default", "again"));
        await().untilAsserted(() -> {
            assertThat(attempts.get("later")).hasValue(3);
            assertThat(attempts.get("again")).hasValue(3);
        });
    }

    @Test
    void neverRunsTwoReconcilesOfOneKeyAtOnce(TestEnvironment env) throws Exception {
        Map<Request, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger maxParallel = new AtomicInteger();
        AtomicInteger parallel = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ResourceClient<ConfigMap> cms = env.resources(ConfigMap.class);
        for (int i = 0; i < 4; i++) {
            cms.create(configMap("default", "cm-" + i));
        }
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).maxConcurrentReconciles(8)
                .build(r -> {
                    if (inFlight.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    maxParallel.accumulateAndGet(parallel.incrementAndGet(), Math::max);
                    LockSupport.parkNanos(200_000); // simulated work, widening any overlap window
                    parallel.decrementAndGet();
                    inFlight.get(r).decrementAndGet();
                    done.incrementAndGet();
                    return Result.done();
                }));
        Controller controller = manager.controllers().getFirst();
        for (int round = 0; round < 500; round++) {
            controller.enqueue(new Request("default", "cm-" + (round % 4)));
        }
        await().untilAsserted(() -> assertThat(controller.queueLength()).isZero());
        assertThat(overlaps).hasValue(0);
        assertThat(maxParallel.get()).isLessThanOrEqualTo(4);
        assertThat(done.get()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void failsToStartWithAClearErrorWhenCachesDoNotSync(TestEnvironment env) {
        KubeClient failing = FailingListClient.wrap(env.client(), ConfigMap.class);
        Manager manager = Manager.builder(failing).cacheSyncTimeout(Duration.ofSeconds(1)).build();
        manager.newController().forKind(ConfigMap.class).complete(cm -> Result.done());
        assertThatThrownBy(manager::start)
                .isInstanceOf(CacheSyncTimeoutException.class)
                .hasMessageContaining("controller configmap timed out after 1000 ms waiting for caches to sync")
                .hasMessageContaining("configmaps")
                .hasMessageContaining("forbidden");
        assertThat(manager.failure()).isPresent();
    }

    @Test
    void builderRejectsBadInputClearly(TestEnvironment env) {
        Manager manager = Manager.builder(env.client()).build();
        assertThatThrownBy(() -> manager.newController().build(r -> Result.done()))
                .hasMessageContaining("call forKind(...) before build");
        assertThatThrownBy(() -> manager.newController().forKind(ConfigMap.class).maxConcurrentReconciles(0))
                .hasMessageContaining("maxConcurrentReconciles must be at least 1");
        manager.newController().forKind(ConfigMap.class).complete(cm -> Result.done());
        assertThatThrownBy(() -> manager.newController().forKind(ConfigMap.class).complete(cm -> Result.done()))
                .hasMessageContaining("a controller named 'configmap' is already registered");
        assertThatThrownBy(() -> Result.requeueAfter(Duration.ofSeconds(-1))).hasMessageContaining("must not be negative");
        assertThat(Set.of(Request.fromKey("ns/a"), Request.fromKey("b")))
                .containsExactlyInAnyOrder(new Request("ns", "a"), new Request(null, "b"));
        manager.close();
    }
}
