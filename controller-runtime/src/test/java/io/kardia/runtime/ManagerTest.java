package io.kardia.runtime;

import static io.kardia.runtime.TestObjects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ListOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.ConfigMap;
import io.kardia.core.model.Lease;
import io.kardia.core.model.ObjectMeta;
import io.kardia.runtime.leader.LeaderElectionConfig;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

@KardiaTest
class ManagerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(Manager manager, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + manager.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesHealthReadinessAndPrometheusMetrics(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "one"));
        AtomicInteger reconciles = new AtomicInteger();
        Manager manager = env.startManager(Manager.builder(env.client()).httpPort(0), m -> m.newController()
                .forKind(ConfigMap.class).named("cm").complete(cm -> {
                    reconciles.incrementAndGet();
                    return Result.done();
                }));
        await().untilAsserted(() -> assertThat(reconciles.get()).isPositive());
        assertThat(get(manager, "/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get(manager, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok\n");
        HttpResponse<String> metrics = get(manager, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("controller_runtime_reconcile_total{controller=\"cm\",result=\"success\"}")
                .contains("controller_runtime_reconcile_errors_total{controller=\"cm\"} 0.0")
                .contains("controller_runtime_reconcile_time_seconds_count{controller=\"cm\"}")
                .contains("controller_runtime_reconcile_time_seconds_bucket{controller=\"cm\",le=\"0.005\"}")
                .contains("controller_runtime_max_concurrent_reconciles{controller=\"cm\"} 1.0")
                .contains("workqueue_adds_total{name=\"cm\"}")
                .contains("workqueue_depth{name=\"cm\"}")
                .contains("informer_cache_size{namespace=\"\",resource=\"configmaps\"} 1.0");
        manager.close();
        assertThat(manager.awaitTermination(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void gracefulShutdownStopsTakingWorkAndDrainsInFlightReconciles(TestEnvironment env) throws Exception {
        CountDownLatch inReconcile = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger started = new AtomicInteger();
        env.resources(ConfigMap.class).create(configMap("default", "slow"));
        Manager manager = env.startManager(m -> m.newController().forKind(ConfigMap.class).complete(cm -> {
            started.incrementAndGet();
            inReconcile.countDown();
            try {
                release.await();
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return Result.done();
        }));
        assertThat(inReconcile.await(10, TimeUnit.SECONDS)).isTrue();
        manager.controllers().getFirst().enqueue(new Request("default", "queued-behind"));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(manager::close);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !closing.isDone());
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
        assertThat(started).as("the queued request was not started during shutdown").hasValue(1);
    }

    @Test
    void shutdownInterruptsReconcilesThatOutliveTheDrainTimeout(TestEnvironment env) throws Exception {
        CountDownLatch inReconcile = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        env.resources(ConfigMap.class).create(configMap("default", "stuck"));
        Manager manager = env.startManager(Manager.builder(env.client()).gracefulShutdownTimeout(Duration.ofMillis(200)),
                m -> m.newController().forKind(ConfigMap.class).complete(cm -> {
                    inReconcile.countDown();
                    try {
                        new CountDownLatch(1).await(); // never released
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                    }
                    return Result.done();
                }));
        assertThat(inReconcile.await(10, TimeUnit.SECONDS)).isTrue();
        manager.close();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void withLeaderElectionOnlyTheLeaderReconcilesAndShutdownHandsOver(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "work"));
        LeaderElectionConfig election = LeaderElectionConfig.of("default", "manager-lock")
                .withTimings(Duration.ofSeconds(60), Duration.ofSeconds(50), Duration.ofMillis(100));
        AtomicInteger byA = new AtomicInteger();
        AtomicInteger byB = new AtomicInteger();
        Manager a = env.startManager(Manager.builder(env.store().client()).leaderElection(election.withIdentity("a")),
                m -> m.newController().forKind(ConfigMap.class).complete(cm -> {
                    byA.incrementAndGet();
                    return Result.done();
                }));
        await().untilAsserted(() -> assertThat(byA.get()).isPositive());
        Manager b = env.startManager(Manager.builder(env.store().client()).leaderElection(election.withIdentity("b")),
                m -> m.newController().forKind(ConfigMap.class).complete(cm -> {
                    byB.incrementAndGet();
                    return Result.done();
                }));
        assertThat(a.isLeader()).isTrue();
        assertThat(b.isLeader()).isFalse();
        assertThat(a.scrapeMetrics()).contains("leader_election_master_status{name=\"manager-lock\"} 1.0");
        assertThat(b.scrapeMetrics()).contains("leader_election_master_status{name=\"manager-lock\"} 0.0");
        env.resources(ConfigMap.class).create(configMap("default", "more"));
        await().untilAsserted(() -> assertThat(byA.get()).isGreaterThanOrEqualTo(2));
        assertThat(byB).hasValue(0);

        a.close(); // releases the lease: b takes over long before the 60 s lease would expire
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(byB.get()).isGreaterThanOrEqualTo(2));
        assertThat(b.isLeader()).isTrue();
        assertThat(env.resources(Lease.class).get("default", "manager-lock").spec().holderIdentity()).isEqualTo("b");
    }

    @Test
    void theManagerClientReadsFromTheCacheAndWritesToTheApi(TestEnvironment env) throws Exception {
        ResourceClient<ConfigMap> api = env.resources(ConfigMap.class);
        api.create(ConfigMap.of(ObjectMeta.builder().namespace("default").name("a").label("tier", "web").build(), Map.of()));
        api.create(ConfigMap.of(ObjectMeta.builder().namespace("default").name("b").label("tier", "db").build(), Map.of()));
        Manager manager = env.startManager(m -> { });
        CachedResources<ConfigMap> cached = manager.client().resources(ConfigMap.class);
        assertThat(cached.get("default", "a").metadata().name()).isEqualTo("a");
        assertThat(cached.list("default", ListOptions.all().withLabelSelector("tier=db")).items())
                .extracting(cm -> cm.metadata().name()).containsExactly("b");
        Assertions.assertThatThrownBy(() -> cached.get("default", "missing"))
                .isInstanceOf(KubeApiException.NotFoundException.class);
        // the cache is an informer of the manager's factory, shared with controllers
        assertThat(manager.informers().informers()).hasSize(1);
        cached.create(configMap("default", "c"));
        await().untilAsserted(() -> assertThat(cached.find("default", "c")).isPresent());
        assertThat(List.of(api.get("default", "c").metadata().name())).containsExactly("c");
    }

    @Test
    void aTakenHttpPortFailsTheStartAndLeavesTheLeaseFree(TestEnvironment env) throws Exception {
        env.resources(ConfigMap.class).create(configMap("default", "work"));
        LeaderElectionConfig election = LeaderElectionConfig.of("default", "taken-port-lock").withIdentity("a")
                .withTimings(Duration.ofSeconds(60), Duration.ofSeconds(50), Duration.ofMillis(100));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
            // The elector campaigns while the endpoints start: the failed start must not keep the lease.
            Assertions.assertThatThrownBy(() -> env.startManager(Manager.builder(env.store().client())
                            .httpPort(taken.getLocalPort()).leaderElection(election),
                            m -> m.newController().forKind(ConfigMap.class).complete(cm -> Result.done())))
                    .isInstanceOf(java.io.UncheckedIOException.class)
                    .hasMessageContaining("could not serve the manager endpoints");
        }
        env.resources(Lease.class).find("default", "taken-port-lock").ifPresent(lease ->
                assertThat(lease.spec().holderIdentity()).as("a failed start releases the lease").isNullOrEmpty());
    }
}
