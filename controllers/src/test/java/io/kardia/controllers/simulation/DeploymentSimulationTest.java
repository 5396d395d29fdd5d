package io.kardia.controllers.simulation;

import io.kardia.controllers.workload.WorkloadControllers;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.DeploymentSpec;
import io.kardia.core.model.DeploymentStrategy;
import io.kardia.core.model.IntOrString;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ReplicaSet;
import io.kardia.runtime.simulation.Explorer;
import io.kardia.runtime.simulation.Faults;
import io.kardia.runtime.simulation.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Deployment rollout, scale during rollout and deletion (garbage collector) of Kardia's workload
 * controllers under seeded orderings and faults; a small seed budget keeps CI fast.
 */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeploymentSimulationTest {
    private static final Map<String, String> LABELS = Map.of("app", "web");
    static final int REPLICAS = 4;
    /** maxSurge 1, maxUnavailable 1. */
    static final int MAX_PODS = REPLICAS + 1;

    /** Rolls out a new image, scales during the rollout, then deletes the Deployment. */
    static void rolloutScenario(Simulation sim, int replicas) {
        rolloutScenario(sim, replicas, true);
    }

    /**
     * {@code surgeBound}: check "never more pods than replicas + maxSurge" after every step; off
     * when write answers may be lost (a create whose answer is lost is made again, and the extra
     * pod removed later, as in Kubernetes).
     */
    static void rolloutScenario(Simulation sim, int replicas, boolean surgeBound) {
        sim.startManager("controllers", m -> {
            WorkloadControllers.register(m);
            SimKubelet.register(m, sim);
        });
        ResourceClient<Deployment> deployments = sim.client().resources(Deployment.class);
        int[] allowed = {replicas + 1};
        if (surgeBound) {
            sim.invariant("never more pods than replicas + maxSurge", () -> pods(sim).size() <= allowed[0]);
        }
        sim.run("create", () -> {
            sim.client().resources(Namespace.class).create(Namespace.named("ns"));
            deployments.create(deployment(replicas, "nginx:1"));
        });
        sim.runUntil("first rollout completes", () -> rolledOut(sim, replicas, "nginx:1"), Duration.ofMinutes(10));
        sim.run("roll out nginx:2", () -> edit(deployments, d -> d.withSpec(d.spec().withTemplate(template("nginx:2")))));
        sim.runFor(Duration.ofSeconds(1));
        allowed[0] = replicas + 2 + 1; // scaled up by 2 during the rollout
        sim.run("scale during the rollout", () -> edit(deployments, d -> d.withSpec(d.spec().withReplicas(replicas + 2))));
        sim.runFor(Duration.ofMinutes(2));
        sim.stopFaults();
        sim.runUntil("second rollout completes at the new scale", () -> rolledOut(sim, replicas + 2, "nginx:2"),
                Duration.ofMinutes(30));
        sim.run("delete", () -> deployments.delete("ns", "web"));
        sim.runUntil("garbage collector removes ReplicaSets and pods", () -> pods(sim).isEmpty()
                && sim.store().client().resources(ReplicaSet.class).list("ns").items().isEmpty(), Duration.ofMinutes(10));
    }

    @Test
    void rolloutScaleAndDeletionWithoutFaults() {
        Explorer.seeds(1, 8).run(sim -> rolloutScenario(sim, REPLICAS));
    }

    /**
     * Every fault, lost write answers included (so no bound on the pod count: a create whose
     * answer is lost is made again, and the extra pod removed later, as in Kubernetes). Seed 108
     * found two bugs in pod expectations: a refused delete left its expectation behind (the
     * ReplicaSet stalled for the 5-minute TTL), and at the TTL's deadline the expectations were
     * neither lapsed nor waiting, so the ReplicaSet requeued itself with no delay at an instant
     * virtual time never left (PodExpectationsTest, PodWritesTest).
     */
    @Test
    void rolloutScaleAndDeletionConvergeOnceFaultsStop() {
        Explorer.seeds(106, 2).faults(Faults.all()).configure(b -> b.maxSteps(100_000))
                .run(sim -> rolloutScenario(sim, REPLICAS, false));
        Explorer.seeds(108, 1).faults(Faults.all()).configure(b -> b.maxSteps(100_000))
                .run(sim -> rolloutScenario(sim, REPLICAS, false));
    }

    /** Every fault but 5xx writes (conflicts, disconnects, 410 Gone, delays, crashes): the surge bound holds at every step. */
    @Test
    void theSurgeBoundHoldsUnderConflictsDisconnectsDelaysAndCrashes() {
        Explorer.seeds(200, 3).faults(Faults.all().withWriteErrors(0)).configure(b -> b.maxSteps(100_000))
                .run(sim -> rolloutScenario(sim, REPLICAS, true));
    }

    /**
     * Store restarts leave informers behind the store for seconds (a relist after back-off, then a
     * backlog of delayed events). Seeds 16 and 18 found that the Deployment controller grew the new
     * ReplicaSet on a pod cache that lagged: the old ReplicaSet, scaled up proportionally and at once
     * back down, had created two pods for the size since lowered, which the cache did not show yet,
     * so the rollout reached 8 pods where 7 were allowed (seed 8, store restarts and a crash, broke
     * the same way). The controller now counts the pods again from the API before it grows the new
     * ReplicaSet (docs/workload-controllers.md).
     */
    @Test
    void theSurgeBoundHoldsWhenTheDeploymentControllersPodCacheLagsAfterAStoreRestart() {
        Faults restarts = Faults.all().withWriteErrors(0).withStoreRestarts(0.002);
        Explorer.seeds(16, 1).faults(restarts).configure(b -> b.maxSteps(100_000))
                .run(sim -> rolloutScenario(sim, REPLICAS, true)); // seed 18 failed the same way: kept out for CI time
    }

    /**
     * Seed 69 (store restarts, no crash) found the race no count can see: proportional scaling
     * gave the old ReplicaSet 3 more replicas, cleanup took 2 back at once, and the new one grew
     * while the ReplicaSet controller, still on the larger size, created its 3 pods: 8 where 7 were
     * allowed. The new ReplicaSet now grows only once every old one's size was observed by its
     * controller (status.observedGeneration).
     */
    @Test
    void theNewReplicaSetWaitsUntilTheOldOnesSizesWereObserved() {
        Explorer.seeds(69, 1).faults(Faults.all().withWriteErrors(0).withStoreRestarts(0.002))
                .configure(b -> b.maxSteps(100_000)).run(sim -> rolloutScenario(sim, REPLICAS, true));
    }

    static Deployment deployment(int replicas, String image) {
        return Deployment.of(ObjectMeta.of("ns", "web"), DeploymentSpec.builder()
                .replicas(replicas)
                .selector(LabelSelector.of(LABELS))
                .template(template(image))
                .strategy(DeploymentStrategy.rollingUpdate(IntOrString.of(1), IntOrString.of(1)))
                .build());
    }

    static PodTemplateSpec template(String image) {
        return PodTemplateSpec.of(ObjectMeta.builder().labels(LABELS).build(), PodSpec.of(Container.of("app", image)));
    }

    static void edit(ResourceClient<Deployment> deployments, UnaryOperator<Deployment> change) {
        for (int attempt = 0; ; attempt++) {
            Deployment d = deployments.get("ns", "web");
            try {
                deployments.update(change.apply(d));
                return;
            } catch (KubeApiException.ConflictException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    static List<Pod> pods(Simulation sim) {
        return sim.store().client().resources(Pod.class).list("ns").items().stream()
                .filter(p -> p.metadata().deletionTimestamp() == null).toList();
    }

    static boolean rolledOut(Simulation sim, int replicas, String image) {
        Deployment d = sim.store().client().resources(Deployment.class).find("ns", "web").orElse(null);
        if (d == null || d.status() == null) {
            return false;
        }
        if (!(Objects.equals(d.status().observedGeneration(), d.metadata().generation())
                && Objects.equals(d.status().updatedReplicas(), replicas)
                && Objects.equals(d.status().availableReplicas(), replicas)
                && Objects.equals(d.status().replicas(), replicas))) {
            return false; // checked after every step: the pods are listed only once the status says done
        }
        List<Pod> pods = pods(sim);
        return pods.size() == replicas && pods.stream().allMatch(p -> p.spec().containers().get(0).image().equals(image));
    }
}
