package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetStatus;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

@KardiaTest
class ReplicaSetControllerTest {
    private static final Map<String, String> LABELS = Map.of("app", "web");

    private static List<Pod> ownedBy(ResourceClient<Pod> pods, ReplicaSet rs) {
        return pods.list("ns").items().stream()
                .filter(p -> p.metadata().controllerRef().map(r -> r.uid().equals(rs.metadata().uid())).orElse(false))
                .toList();
    }

    private static boolean statusIs(ReplicaSet rs, int replicas, int ready, int available) {
        ReplicaSetStatus s = rs.status();
        return s != null && Objects.equals(s.replicas(), replicas) && Objects.equals(s.readyReplicas(), ready)
                && Objects.equals(s.availableReplicas(), available) && Objects.equals(s.fullyLabeledReplicas(), replicas)
                && Objects.equals(s.observedGeneration(), rs.metadata().generation());
    }

    @Test
    void scalesUpAndDownWithOwnedPodsAndStatus(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        TestKubelet.startAllReady(env);
        env.startManager(ReplicaSetController::register);
        ResourceClient<ReplicaSet> rss = env.resources(ReplicaSet.class);
        ResourceClient<Pod> pods = env.resources(Pod.class);

        ReplicaSet rs = rss.create(Fixtures.replicaSet("ns", "web", 3, LABELS));
        env.awaitObject(ReplicaSet.class, "ns", "web", r -> statusIs(r, 3, 3, 3));
        List<Pod> owned = ownedBy(pods, rs);
        assertThat(owned).hasSize(3).allSatisfy(p -> {
            assertThat(p.metadata().name()).startsWith("web-");
            OwnerReference ref = p.metadata().controllerRef().orElseThrow();
            assertThat(ref.kind()).isEqualTo("ReplicaSet");
            assertThat(ref.blockOwnerDeletion()).isTrue();
            assertThat(p.metadata().labels()).containsAllEntriesOf(LABELS);
        });

        Edits.edit(rss, "ns", "web", r -> r.withSpec(r.spec().withReplicas(7)));
        env.awaitObject(ReplicaSet.class, "ns", "web", r -> statusIs(r, 7, 7, 7));
        assertThat(ownedBy(pods, rs)).hasSize(7);

        Edits.edit(rss, "ns", "web", r -> r.withSpec(r.spec().withReplicas(2)));
        env.awaitObject(ReplicaSet.class, "ns", "web", r -> statusIs(r, 2, 2, 2));
        Eventually.eventually("2 pods", () -> ownedBy(pods, rs), l -> l.size() == 2);
    }

    @Test
    void neverCreatesMorePodsThanAskedFor(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        ResourceClient<Pod> pods = env.resources(Pod.class);
        AtomicInteger added = new AtomicInteger();
        Watch<Pod> watch = pods.watch("ns", WatchOptions.from(null));
        Thread counter = Thread.ofVirtual().start(() -> {
            try {
                for (WatchEvent<Pod> e; (e = watch.next()) != null; ) {
                    if (e.type() == WatchEvent.Type.ADDED) {
                        added.incrementAndGet();
                    }
                }
            } catch (Exception ignored) {
                // watch closed at the end of the test
            }
        });
        TestKubelet.startAllReady(env);
        env.startManager(ReplicaSetController::register);
        env.resources(ReplicaSet.class).create(Fixtures.replicaSet("ns", "burst", 60, LABELS));
        env.awaitObject(ReplicaSet.class, "ns", "burst", r -> statusIs(r, 60, 60, 60));
        assertThat(pods.list("ns").items()).hasSize(60);
        assertThat(added.get()).isEqualTo(60);
        watch.close();
        counter.join();
    }

    @Test
    void adoptsMatchingOrphansAndReleasesPodsThatStopMatching(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        TestKubelet.startAllReady(env);
        ResourceClient<Pod> pods = env.resources(Pod.class);
        pods.create(Fixtures.pod("ns", "orphan", LABELS));
        pods.create(Fixtures.pod("ns", "stranger", Map.of("app", "other")));
        env.startManager(ReplicaSetController::register);
        ReplicaSet rs = env.resources(ReplicaSet.class).create(Fixtures.replicaSet("ns", "web", 2, LABELS));
        env.awaitObject(ReplicaSet.class, "ns", "web", r -> statusIs(r, 2, 2, 2));
        Pod orphan = pods.get("ns", "orphan");
        assertThat(orphan.metadata().controllerRef()).map(OwnerReference::uid).contains(rs.metadata().uid());
        assertThat(pods.get("ns", "stranger").metadata().controllerRef()).isEmpty();
        assertThat(ownedBy(pods, rs)).hasSize(2);

        // relabelled out of the selector: released, and replaced
        pods.patch("ns", "orphan", PatchType.MERGE, "{\"metadata\":{\"labels\":{\"app\":\"debug\"}}}");
        Pod released = env.awaitObject(Pod.class, "ns", "orphan", p -> p.metadata().controllerRef().isEmpty());
        assertThat(released.metadata().labels()).containsEntry("app", "debug");
        Eventually.eventually("a replacement for the released pod", () -> ownedBy(pods, rs),
                l -> l.size() == 2 && l.stream().noneMatch(p -> p.metadata().name().equals("orphan")));
    }

    @Test
    void becomesAvailableOnlyAfterMinReadySeconds(TestEnvironment env) throws Exception {
        env.createNamespace("ns");
        TestKubelet.startAllReady(env);
        env.startManager(ReplicaSetController::register);
        ReplicaSet rs = Fixtures.replicaSet("ns", "slow", 2, LABELS);
        env.resources(ReplicaSet.class).create(rs.withSpec(rs.spec().withMinReadySeconds(1)));
        ReplicaSet ready = env.awaitObject(ReplicaSet.class, "ns", "slow",
                r -> r.status() != null && Objects.equals(r.status().readyReplicas(), 2));
        assertThat(Optional.ofNullable(ready.status().availableReplicas()).orElse(0)).isLessThanOrEqualTo(2);
        env.awaitObject(ReplicaSet.class, "ns", "slow", r -> statusIs(r, 2, 2, 2));
    }
}
