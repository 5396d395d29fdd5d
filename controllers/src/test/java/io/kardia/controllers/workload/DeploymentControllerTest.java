package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentStatus;
import io.kardia.core.model.DeploymentStrategy;
import io.kardia.core.model.IntOrString;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@KardiaTest
class DeploymentControllerTest {

    /** What {@code kubectl rollout status} waits for. */
    static boolean rolledOut(Deployment d) {
        DeploymentStatus s = d.status();
        int want = d.spec().desiredReplicas();
        return s != null && s.observedGeneration() != null && s.observedGeneration() >= d.metadata().generation()
                && Objects.equals(s.updatedReplicas(), want) && Objects.equals(s.replicas(), want)
                && Objects.equals(s.availableReplicas(), want);
    }

    private static Deployment setImage(ResourceClient<Deployment> deployments, String name, String image) {
        return Edits.edit(deployments, "ns", name, d -> {
            var t = d.spec().template();
            var c = t.spec().containers().get(0);
            var newContainer = Json.fromTree(Json.toTree(c).put("image", image), io.kardia.core.model.Container.class);
            return d.withSpec(d.spec().withTemplate(t.withSpec(t.spec().withContainers(List.of(newContainer)))));
        });
    }

    private static List<ReplicaSet> replicaSets(TestEnvironment env) {
        return env.resources(ReplicaSet.class).list("ns").items();
    }

    private static void start(TestEnvironment env) throws InterruptedException {
        env.startManager(m -> {
            ReplicaSetController.register(m);
            DeploymentController.register(m);
        });
    }

    @Test
    void rollingUpdateOfTenReplicasStaysWithinSurgeAndUnavailabilityBounds(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(30));
        TestKubelet.startAllReady(env);
        start(env);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(Fixtures.deployment("ns", "web", 10, "nginx:1",
                DeploymentStrategy.rollingUpdate(IntOrString.of("25%"), IntOrString.of("25%"))));
        Deployment first = env.awaitObject(Deployment.class, "ns", "web", DeploymentControllerTest::rolledOut);
        assertThat(first.metadata().annotations()).containsEntry(DeploymentController.REVISION, "1");
        ReplicaSet rs1 = replicaSets(env).get(0);
        assertThat(rs1.metadata().name()).isEqualTo("web-" + rs1.metadata().labels().get(TemplateHash.LABEL));
        assertThat(rs1.spec().selector().matchLabels()).containsKey(TemplateHash.LABEL);
        assertThat(rs1.metadata().annotations()).containsEntry(DeploymentController.REVISION, "1")
                .containsEntry(DeploymentController.DESIRED_REPLICAS, "10")
                .containsEntry(DeploymentController.MAX_REPLICAS, "13");

        AtomicInteger maxPods = new AtomicInteger();
        AtomicInteger minAvailable = new AtomicInteger(Integer.MAX_VALUE);
        try (PodWatcher watcher = new PodWatcher(env.client(), "ns", pods -> {
            int ready = (int) pods.values().stream().filter(p -> p.ready() && p.metadata().deletionTimestamp() == null).count();
            maxPods.accumulateAndGet(pods.size(), Math::max);
            if (!pods.isEmpty()) {
                minAvailable.accumulateAndGet(ready, Math::min);
            }
        })) {
            setImage(deployments, "web", "nginx:2");
            Deployment done = env.awaitObject(Deployment.class, "ns", "web",
                    d -> rolledOut(d) && "nginx:2".equals(Fixtures.image(d)));
            Eventually.eventually("only new pods", () -> env.resources(Pod.class).list("ns").items(),
                    l -> l.size() == 10 && l.stream().allMatch(p -> "nginx:2".equals(Fixtures.image(p))));
            assertThat(done.metadata().annotations()).containsEntry(DeploymentController.REVISION, "2");
            assertThat(Condition.find(done.status().conditions(), "Progressing").orElseThrow().reason())
                    .isEqualTo("NewReplicaSetAvailable");
            assertThat(Condition.isTrue(done.status().conditions(), "Available")).isTrue();
            assertThat(watcher.failures).isEmpty();
        }
        assertThat(maxPods.get()).as("pods at any instant (10 + maxSurge 3)").isBetween(11, 13);
        assertThat(minAvailable.get()).as("ready pods at any instant (10 - maxUnavailable 2)").isGreaterThanOrEqualTo(8);
        assertThat(replicaSets(env)).hasSize(2);
    }

    @Test
    void recreateNeverRunsOldAndNewPodsTogether(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(30));
        TestKubelet.startAllReady(env);
        start(env);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(Fixtures.deployment("ns", "db", 4, "pg:1", DeploymentStrategy.recreate()));
        env.awaitObject(Deployment.class, "ns", "db", DeploymentControllerTest::rolledOut);
        AtomicInteger overlaps = new AtomicInteger();
        try (PodWatcher watcher = new PodWatcher(env.client(), "ns", pods -> {
            Set<String> images = pods.values().stream().map(Fixtures::image).collect(Collectors.toSet());
            if (images.size() > 1) {
                overlaps.incrementAndGet();
            }
        })) {
            setImage(deployments, "db", "pg:2");
            env.awaitObject(Deployment.class, "ns", "db", d -> rolledOut(d) && "pg:2".equals(Fixtures.image(d)));
            Eventually.eventually("4 new pods", () -> env.resources(Pod.class).list("ns").items(),
                    l -> l.size() == 4 && l.stream().allMatch(p -> "pg:2".equals(Fixtures.image(p))));
        }
        assertThat(overlaps.get()).isZero();
    }

    @Test
    void rollbackByPatchingTheTemplateBackReusesTheOldReplicaSetWithANewRevision(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(30));
        TestKubelet.startAllReady(env);
        start(env);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(Fixtures.deployment("ns", "web", 3, "nginx:1", null));
        env.awaitObject(Deployment.class, "ns", "web", DeploymentControllerTest::rolledOut);
        String rs1 = replicaSets(env).get(0).metadata().name();
        setImage(deployments, "web", "nginx:2");
        env.awaitObject(Deployment.class, "ns", "web", d -> rolledOut(d) && "nginx:2".equals(Fixtures.image(d)));

        // what `kubectl rollout undo` does: patch the previous revision's template back
        ReplicaSet old = env.resources(ReplicaSet.class).get("ns", rs1);
        var template = Json.toTree(old.spec().template());
        ((com.fasterxml.jackson.databind.node.ObjectNode) template.get("metadata").get("labels")).remove(TemplateHash.LABEL);
        deployments.patch("ns", "web", PatchType.JSON,
                "[{\"op\":\"replace\",\"path\":\"/spec/template\",\"value\":" + template + "}]");
        Deployment back = env.awaitObject(Deployment.class, "ns", "web",
                d -> rolledOut(d) && "nginx:1".equals(Fixtures.image(d)));
        assertThat(back.metadata().annotations()).containsEntry(DeploymentController.REVISION, "3");
        ReplicaSet reused = env.resources(ReplicaSet.class).get("ns", rs1);
        assertThat(reused.metadata().annotations()).containsEntry(DeploymentController.REVISION, "3")
                .containsEntry(DeploymentController.REVISION_HISTORY, "1");
        assertThat(reused.spec().replicas()).isEqualTo(3);
        assertThat(replicaSets(env)).hasSize(2);
        Eventually.eventually("v1 pods only", () -> env.resources(Pod.class).list("ns").items(),
                l -> l.size() == 3 && l.stream().allMatch(p -> "nginx:1".equals(Fixtures.image(p))));
    }

    @Test
    void pausedDeploymentScalesButDoesNotRollOutUntilResumed(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(30));
        TestKubelet.startAllReady(env);
        start(env);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(Fixtures.deployment("ns", "web", 2, "nginx:1", null));
        env.awaitObject(Deployment.class, "ns", "web", DeploymentControllerTest::rolledOut);
        Edits.edit(deployments, "ns", "web", d -> d.withSpec(d.spec().withPaused(true)));
        env.awaitObject(Deployment.class, "ns", "web", x -> Condition.find(x.status().conditions(), "Progressing")
                .map(c -> "DeploymentPaused".equals(c.reason()) && "Unknown".equals(c.status())).orElse(false));
        setImage(deployments, "web", "nginx:2");
        Edits.edit(deployments, "ns", "web", d -> d.withSpec(d.spec().withReplicas(4)));
        env.awaitObject(Deployment.class, "ns", "web", x -> Objects.equals(x.status().availableReplicas(), 4)
                && Objects.equals(x.status().observedGeneration(), x.metadata().generation()));
        assertThat(replicaSets(env)).hasSize(1);
        assertThat(env.resources(Pod.class).list("ns").items()).allMatch(p -> "nginx:1".equals(Fixtures.image(p)));

        Edits.edit(deployments, "ns", "web", d -> d.withSpec(d.spec().withPaused(false)));
        env.awaitObject(Deployment.class, "ns", "web", x -> rolledOut(x) && replicasAllNew(env, "nginx:2", 4));
    }

    private static boolean replicasAllNew(TestEnvironment env, String image, int n) {
        List<Pod> pods = env.resources(Pod.class).list("ns").items();
        return pods.size() == n && pods.stream().allMatch(p -> image.equals(Fixtures.image(p)));
    }

    @Test
    void progressDeadlineIsExceededWhenPodsNeverBecomeReady(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(20));
        start(env); // no kubelet: nothing ever becomes ready
        Deployment d = Fixtures.deployment("ns", "stuck", 2, "nginx:1", null);
        env.resources(Deployment.class).create(d.withSpec(d.spec().toBuilder().progressDeadlineSeconds(2).build()));
        Deployment stuck = env.awaitObject(Deployment.class, "ns", "stuck", x -> x.status() != null
                && Condition.find(x.status().conditions(), "Progressing")
                        .map(c -> "ProgressDeadlineExceeded".equals(c.reason()) && "False".equals(c.status())).orElse(false));
        assertThat(Condition.find(stuck.status().conditions(), "Available").orElseThrow().reason())
                .isEqualTo("MinimumReplicasUnavailable");
        assertThat(stuck.status().unavailableReplicas()).isEqualTo(2);
        assertThat(stuck.status().updatedReplicas()).isEqualTo(2);
    }

    @Test
    void resizingMidRolloutScalesReplicaSetsProportionally(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        env.awaitTimeout(Duration.ofSeconds(30));
        // only nginx:1 pods become ready, so the rollout to nginx:2 stalls with both ReplicaSets active
        TestKubelet.start(env, p -> "nginx:1".equals(Fixtures.image(p)));
        start(env);
        ResourceClient<Deployment> deployments = env.resources(Deployment.class);
        deployments.create(Fixtures.deployment("ns", "web", 10, "nginx:1",
                DeploymentStrategy.rollingUpdate(IntOrString.of(2), IntOrString.of(3))));
        env.awaitObject(Deployment.class, "ns", "web", DeploymentControllerTest::rolledOut);
        setImage(deployments, "web", "nginx:2");
        // stalled: old 8 (10 - maxUnavailable 2), new 5 (10 + maxSurge 3 - 8)
        Eventually.eventually(Duration.ofSeconds(20), "the rollout to stall at 8 old + 5 new",
                () -> replicaSets(env).stream().map(rs -> rs.spec().replicas()).sorted().toList(),
                sizes -> sizes.equals(List.of(5, 8)));
        Edits.edit(deployments, "ns", "web", d -> d.withSpec(d.spec().withReplicas(20)));
        // allowed 20 + 3 = 23; 10 more spread 8:5 over 13 → old 8+6=14, new 5+4=9 (Kubernetes' rounding)
        Eventually.eventually(Duration.ofSeconds(20), "proportional scale-up",
                () -> replicaSets(env).stream().map(rs -> rs.spec().replicas()).sorted().toList(),
                sizes -> sizes.stream().mapToInt(Integer::intValue).sum() == 23 && sizes.equals(List.of(9, 14)));
        Map<String, String> ann = replicaSets(env).get(0).metadata().annotations();
        assertThat(ann).containsEntry(DeploymentController.DESIRED_REPLICAS, "20")
                .containsEntry(DeploymentController.MAX_REPLICAS, "23");
    }
}
