package io.kardia.controllers.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.workload.ReplicaSetController;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ReplicaSet;
import io.kardia.core.model.ReplicaSetStatus;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.simulation.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ReplicaSet controller under deterministic simulation: seeded orderings, virtual time. */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplicaSetSimulationTest {
    private static final Map<String, String> LABELS = Map.of("app", "web");

    /** Scales 3 -> 5 -> 2; checks that no more pods than asked for exist and that status converges. */
    static void scaleScenario(Simulation sim) {
        sim.startManager("controllers", m -> {
            ReplicaSetController.register(m);
            kubelet(m, sim);
        });
        ResourceClient<ReplicaSet> rss = sim.client().resources(ReplicaSet.class);
        int[] mostAsked = {3};
        sim.invariant("never more owned pods than the most replicas asked for", () -> owned(sim).size() <= mostAsked[0]);
        sim.run("create namespace and ReplicaSet", () -> {
            sim.client().resources(Namespace.class).create(Namespace.named("ns"));
            rss.create(replicaSet(3));
        });
        sim.runUntil("status converges to 3", () -> converged(sim, 3), Duration.ofMinutes(5));
        mostAsked[0] = 5;
        sim.run("scale to 5", () -> scale(rss, 5));
        sim.runUntil("status converges to 5", () -> converged(sim, 5), Duration.ofMinutes(5));
        sim.run("scale to 2", () -> scale(rss, 2));
        sim.runUntil("status converges to 2", () -> converged(sim, 2), Duration.ofMinutes(5));
    }

    @Test
    void convergesWithoutOvershootUnderManySeeds() {
        for (long seed = 1; seed <= 20; seed++) {
            try (Simulation sim = Simulation.builder(seed).build()) {
                scaleScenario(sim);
            }
        }
    }

    /**
     * Scales 3 -> 5 under conflicts, watch drops, 410 Gone, delayed events and crashes; once the
     * faults stop the status converges. (Lost write answers are left out: a create whose answer is
     * lost may be made twice, and the extra pod removed later, as in Kubernetes.)
     */
    static void faultyScaleScenario(Simulation sim) {
        sim.startManager("controllers", m -> {
            ReplicaSetController.register(m);
            kubelet(m, sim);
        });
        ResourceClient<ReplicaSet> rss = sim.client().resources(ReplicaSet.class);
        sim.invariant("never more owned pods than the most replicas asked for", () -> owned(sim).size() <= 5);
        sim.run("create namespace and ReplicaSet", () -> {
            sim.client().resources(Namespace.class).create(Namespace.named("ns"));
            rss.create(replicaSet(3));
        });
        sim.runFor(Duration.ofSeconds(30));
        sim.run("scale to 5", () -> scale(rss, 5));
        sim.runFor(Duration.ofMinutes(1));
        sim.stopFaults();
        sim.runUntil("status converges to 5", () -> converged(sim, 5), Duration.ofMinutes(20));
    }

    @Test
    void convergesUnderFaults() {
        io.kardia.runtime.simulation.Explorer.seeds(1, 6)
                .faults(io.kardia.runtime.simulation.Faults.all().withWriteErrors(0))
                .configure(b -> b.maxSteps(200_000))
                .run(ReplicaSetSimulationTest::faultyScaleScenario);
    }

    @Test
    void oneSeedReplaysTheSameTraceAndSeedsExploreDifferentOrders() {
        long first = fingerprint(7);
        assertThat(fingerprint(7)).isEqualTo(first);
        Set<Long> seen = new HashSet<>();
        for (long seed = 1; seed <= 5; seed++) {
            seen.add(fingerprint(seed));
        }
        assertThat(seen).as("five seeds, five different orders").hasSize(5);
    }

    /**
     * Streaming lists (WatchList, off by default in simulation): their idle watchdog waits on the
     * reflector's clock, so one seed takes the same steps twice, and the scale converges under
     * watch drops, 410 Gone (a streaming relist) and crashes.
     */
    @Test
    void streamingListsReplayBySeedAndConvergeUnderWatchFaults() {
        long[] fingerprints = new long[2];
        for (int run = 0; run < 2; run++) {
            try (Simulation sim = Simulation.builder(3).watchList(true).keepFullTrace(true)
                    .faults(io.kardia.runtime.simulation.Faults.all().withWriteErrors(0)).maxSteps(200_000).build()) {
                faultyScaleScenario(sim);
                fingerprints[run] = sim.trace().fingerprint();
                assertThat(sim.trace().entriesKept()).as("streaming lists were used")
                        .anyMatch(e -> e.contains("streaming-list-watchdog"));
            }
        }
        assertThat(fingerprints[1]).as("the same seed, the same steps").isEqualTo(fingerprints[0]);
    }

    @Test
    void aRequeueAfterOfAnHourPassesAtOnceInVirtualTime() {
        try (Simulation sim = Simulation.builder(3).keepFullTrace(true).build()) {
            int[] runs = {0};
            sim.startManager("hourly", m -> m.newController().forKind(Namespace.class).named("hourly")
                    .complete(ns -> {
                        if (ns.metadata().name().equals("ns")) {
                            runs[0]++; // the store's own namespaces are reconciled too
                        }
                        return Result.requeueAfter(Duration.ofHours(1));
                    }));
            sim.run("create namespace", () -> sim.client().resources(Namespace.class).create(Namespace.named("ns")));
            sim.runUntil("reconciled once", () -> runs[0] >= 1, Duration.ofMinutes(1));
            int before = runs[0];
            long realStart = System.nanoTime();
            sim.runFor(Duration.ofHours(3).plusMinutes(1));
            assertThat(runs[0] - before).isEqualTo(3);
            assertThat(sim.clock().elapsed()).isGreaterThanOrEqualTo(Duration.ofHours(3));
            assertThat(Duration.ofNanos(System.nanoTime() - realStart)).isLessThan(Duration.ofMinutes(1));
        }
    }

    private static long fingerprint(long seed) {
        try (Simulation sim = Simulation.builder(seed).build()) {
            scaleScenario(sim);
            return sim.trace().fingerprint();
        }
    }

    static ReplicaSet replicaSet(int replicas) {
        return ReplicaSet.of(ObjectMeta.of("ns", "web"), io.kardia.core.model.ReplicaSetSpec.of(replicas,
                LabelSelector.of(LABELS), io.kardia.core.model.PodTemplateSpec.of(ObjectMeta.builder().labels(LABELS).build(),
                        io.kardia.core.model.PodSpec.of(io.kardia.core.model.Container.of("app", "nginx:1")))));
    }

    private static void scale(ResourceClient<ReplicaSet> rss, int replicas) {
        for (int attempt = 0; ; attempt++) {
            ReplicaSet rs = rss.get("ns", "web");
            try {
                rss.update(rs.withSpec(rs.spec().withReplicas(replicas)));
                return;
            } catch (io.kardia.core.client.KubeApiException.ConflictException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** A stand-in kubelet: marks every pod Running and Ready, at the simulation's time. */
    static void kubelet(Manager m, Simulation sim) {
        SimKubelet.register(m, sim);
    }

    private static void unusedKubelet(Manager m, Simulation sim) {
        ResourceClient<Pod> pods = m.apiClient().resources(Pod.class);
        m.newController().forKind(Pod.class).named("kubelet").maxConcurrentReconciles(2).complete(pod -> {
            if (!pod.ready() && pod.metadata().deletionTimestamp() == null) {
                Instant now = sim.clock().wallClock().instant().truncatedTo(ChronoUnit.SECONDS);
                PodStatus base = pod.status() == null ? PodStatus.ofPhase(PodStatus.RUNNING) : pod.status();
                pods.updateStatus(pod.withStatus(base.withPhase(PodStatus.RUNNING)
                        .withCondition(Condition.of("Ready", Condition.TRUE, null, null, now), now)));
            }
            return Result.done();
        });
    }

    static List<Pod> owned(Simulation sim) {
        return sim.store().client().resources(Pod.class).list("ns").items().stream()
                .filter(p -> p.metadata().deletionTimestamp() == null)
                .filter(p -> p.metadata().controllerRef().map(r -> r.name().equals("web")).orElse(false))
                .toList();
    }

    static boolean converged(Simulation sim, int replicas) {
        ReplicaSet rs = sim.store().client().resources(ReplicaSet.class).find("ns", "web").orElse(null);
        if (rs == null || rs.status() == null) {
            return false;
        }
        ReplicaSetStatus s = rs.status();
        return Objects.equals(s.replicas(), replicas) && Objects.equals(s.readyReplicas(), replicas)
                && Objects.equals(s.observedGeneration(), rs.metadata().generation()) && owned(sim).size() == replicas;
    }
}
