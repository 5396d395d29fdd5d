package io.kardia.controllers.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.node.NodeLifecycleController;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.Lease;
import io.kardia.core.model.LeaseSpec;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.Node;
import io.kardia.core.model.NodeStatus;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.simulation.Explorer;
import io.kardia.runtime.simulation.Faults;
import io.kardia.runtime.simulation.Simulation;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The node lifecycle controller with kube's own timings (40 s grace, 300 s default toleration),
 * which pass at once in virtual time: a node whose heartbeats stop is marked Unknown and tainted,
 * its pods without a toleration are evicted once it runs out, and it recovers when they resume;
 * a node that keeps beating is never touched.
 */
// A step that never waits cannot be stopped: time out on a thread of its own rather than hang the build.
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class NodeLifecycleSimulationTest {
    private static final Duration BEAT = Duration.ofSeconds(10);
    private static final NodeLifecycleOptions KUBE = NodeLifecycleOptions.defaults();

    /** A kubelet per node, in one manager: renews the node's Lease every 10 s and reports Ready, unless stopped. */
    private static void kubelets(Manager m, Simulation sim, Set<String> stopped) {
        ResourceClient<Lease> leases = m.apiClient().resources(Lease.class);
        ResourceClient<Node> nodes = m.apiClient().resources(Node.class);
        m.newController().forKind(Node.class).named("kubelets").complete(node -> {
            String name = node.metadata().name();
            if (stopped.contains(name)) {
                return Result.requeueAfter(BEAT);
            }
            Instant now = sim.clock().wallClock().instant().truncatedTo(ChronoUnit.MICROS);
            Lease lease = leases.get(NodeLifecycleController.LEASE_NAMESPACE, name);
            leases.update(lease.withSpec(lease.spec().withRenewTime(now)));
            if (!node.ready()) {
                NodeStatus s = node.status() == null ? NodeStatus.of(Map.of(), Map.of()) : node.status();
                nodes.updateStatus(node.withStatus(s.withCondition(Condition.of("Ready", Condition.TRUE, "KubeletReady",
                        "kubelet is posting ready status", now), now)));
            }
            return Result.requeueAfter(BEAT);
        });
    }

    private static Pod pod(String name, String node, Toleration... tolerations) {
        return Pod.of(ObjectMeta.of("apps", name), PodSpec.of(Container.of("c", "nginx")).withNodeName(node)
                .withTolerations(List.of(tolerations)));
    }

    private static boolean tainted(Node n) {
        return n.spec() != null && n.spec().taints().stream()
                .anyMatch(t -> NodeLifecycleController.UNREACHABLE_TAINT.equals(t.key()));
    }

    private static Node node(Simulation sim, String name) {
        return sim.store().client().resources(Node.class).get(null, name);
    }

    private static Pod storedPod(Simulation sim, String name) {
        return sim.store().client().resources(Pod.class).find("apps", name).orElse(null);
    }

    static void heartbeatLossScenario(Simulation sim) {
        Set<String> stopped = ConcurrentHashMap.newKeySet();
        sim.run("nodes, leases and pods", () -> {
            Instant now = sim.clock().wallClock().instant();
            sim.client().resources(Namespace.class).create(Namespace.named("apps"));
            for (String n : List.of("n-1", "n-2")) {
                sim.client().resources(Node.class).create(Node.named(n));
                sim.client().resources(Lease.class).create(Lease.of(ObjectMeta.of(NodeLifecycleController.LEASE_NAMESPACE, n),
                        LeaseSpec.of(n, 40, now, now, 0)));
            }
            ResourceClient<Pod> pods = sim.client().resources(Pod.class);
            pods.create(pod("plain", "n-1"));
            pods.create(pod("stays", "n-1", new Toleration(NodeLifecycleController.UNREACHABLE_TAINT, "Exists", null,
                    Taint.NO_EXECUTE, null, null)));
            pods.create(pod("elsewhere", "n-2"));
        });
        sim.startManager("kubelets", m -> kubelets(m, sim, stopped));
        sim.startManager("controllers", m -> NodeLifecycleController.register(m, KUBE));
        sim.invariant("the node that keeps beating is never tainted, nor its pod evicted",
                () -> !tainted(node(sim, "n-2")) && storedPod(sim, "elsewhere").metadata().deletionTimestamp() == null);
        sim.invariant("a tolerating pod is never evicted", () -> storedPod(sim, "stays") != null
                && storedPod(sim, "stays").metadata().deletionTimestamp() == null);
        sim.runUntil("nodes Ready", () -> node(sim, "n-1").ready() && node(sim, "n-2").ready(), Duration.ofMinutes(1));
        sim.runFor(Duration.ofMinutes(2)); // steady heartbeats: nothing happens

        stopped.add("n-1");
        // The grace period counts from the last heartbeat the controller saw, at or after its renewal.
        Instant stop = sim.store().client().resources(Lease.class).get(NodeLifecycleController.LEASE_NAMESPACE, "n-1")
                .spec().renewTime();
        sim.runUntil("n-1 Unknown and tainted", () -> tainted(node(sim, "n-1"))
                && !node(sim, "n-1").ready(), Duration.ofMinutes(2));
        assertThat(Duration.between(stop, sim.clock().wallClock().instant())).as("not before the grace period after the last heartbeat")
                .isGreaterThanOrEqualTo(KUBE.gracePeriod());
        sim.runUntil("the pod without a toleration is evicted", () -> {
            Pod p = storedPod(sim, "plain");
            return p == null || p.metadata().deletionTimestamp() != null;
        }, Duration.ofMinutes(10));
        assertThat(Duration.between(stop, sim.clock().wallClock().instant())).as("not before its toleration ran out")
                .isGreaterThanOrEqualTo(KUBE.gracePeriod().plus(KUBE.defaultTolerationSeconds()));

        stopped.remove("n-1");
        sim.runUntil("n-1 Ready again, untainted", () -> node(sim, "n-1").ready() && !tainted(node(sim, "n-1")),
                Duration.ofMinutes(2));
    }

    @Test
    void aSilentNodeIsTaintedAndItsPodsEvictedAfterTheirTolerationInVirtualTime() {
        Explorer.seeds(1, 2).run(NodeLifecycleSimulationTest::heartbeatLossScenario);
    }

    @Test
    void underConflictsDisconnectsAndDelayedEvents() {
        Explorer.seeds(20, 1).faults(Faults.none().withWriteConflicts(0.05).withWatchDisconnects(0.01)
                .withMaxEventDelay(Duration.ofSeconds(2))).run(NodeLifecycleSimulationTest::heartbeatLossScenario);
    }
}
