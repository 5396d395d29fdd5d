package io.kardia.controllers.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node controller against simulated nodes on a real in-process store, with short timings. */
@KardiaTest
class NodeLifecycleControllerTest {
    static final SimulatedNodeOptions FAST_NODES = SimulatedNodeOptions.defaults()
            .withTimings(Duration.ofMillis(150), Duration.ofSeconds(1), Duration.ofMillis(20));
    static final NodeLifecycleOptions FAST = NodeLifecycleOptions.defaults()
            .withGracePeriod(Duration.ofMillis(1200))
            .withDefaultToleration(Duration.ofSeconds(1))
            .withEvictionRates(100, 100)
            .withMonitorPeriod(Duration.ofMillis(200));

    private SimulatedNodes agents;

    @AfterEach
    void stopAgents() {
        if (agents != null) {
            agents.close();
        }
    }

    static Pod pod(String name, String node, Toleration... tolerations) {
        return Pod.of(ObjectMeta.of("apps", name), PodSpec.of(new Container("c", "nginx", null, null, null, null,
                null, null, null, null)).withNodeName(node).withTolerations(List.of(tolerations)));
    }

    static void setStopped(TestEnvironment env, String node, boolean stopped) {
        String value = stopped ? "\"" + SimulatedNodes.STOPPED + "\"" : "null";
        env.resources(Node.class).patch(null, node, PatchType.MERGE,
                "{\"metadata\":{\"annotations\":{\"" + SimulatedNodes.SIMULATE_ANNOTATION + "\":" + value + "}}}");
    }

    static Optional<Taint> taint(Node n, String key, String effect) {
        return n.spec() == null ? Optional.empty()
                : n.spec().taints().stream().filter(t -> key.equals(t.key()) && effect.equals(t.effect())).findFirst();
    }

    static Optional<Condition> ready(Node n) {
        return Condition.find(n.status().conditions(), "Ready");
    }

    @Test
    void heartbeatLossMarksUnknownTaintsEvictsAfterTolerationAndRecovers(TestEnvironment env) throws Exception {
        env.awaitTimeout(Duration.ofSeconds(15));
        env.createNamespace("apps");
        agents = new SimulatedNodes(env.client(), List.of("n-1", "n-2"), FAST_NODES);
        agents.start();
        env.startManager(m -> NodeLifecycleController.register(m, FAST));
        ResourceClient<Pod> pods = env.resources(Pod.class);
        pods.create(pod("plain", "n-1"));
        pods.create(pod("stays", "n-1", new Toleration(NodeLifecycleController.UNREACHABLE_TAINT, "Exists", null,
                Taint.NO_EXECUTE, null, null)));
        pods.create(pod("elsewhere", "n-2"));
        for (String p : List.of("plain", "stays", "elsewhere")) {
            env.awaitObject(Pod.class, "apps", p, Pod::ready);
        }

        setStopped(env, "n-1", true);

        Node down = env.awaitObject(Node.class, null, "n-1", n -> ready(n).map(c -> Condition.UNKNOWN.equals(c.status())).orElse(false)
                && taint(n, NodeLifecycleController.UNREACHABLE_TAINT, Taint.NO_EXECUTE).isPresent()
                && taint(n, NodeLifecycleController.UNREACHABLE_TAINT, Taint.NO_SCHEDULE).isPresent());
        assertThat(ready(down).orElseThrow().reason()).isEqualTo("NodeStatusUnknown");
        Instant tainted = taint(down, NodeLifecycleController.UNREACHABLE_TAINT, Taint.NO_EXECUTE).orElseThrow().timeAdded();
        assertThat(tainted).isNotNull();
        env.awaitObject(Pod.class, "apps", "stays", p -> !p.ready());

        // The pod without a toleration is evicted once the default toleration (1 s) has run out.
        Pod evicted = env.awaitObject(Pod.class, "apps", "plain", p -> p.metadata().deletionTimestamp() != null);
        Instant deletedAt = evicted.metadata().deletionTimestamp()
                .minusSeconds(Optional.ofNullable(evicted.metadata().deletionGracePeriodSeconds()).orElse(0L));
        // Timestamps have whole-second precision: allow that much.
        assertThat(deletedAt).isAfterOrEqualTo(tainted.plusSeconds(1).minusSeconds(1));
        // The pod tolerating the taint forever stays, and the healthy node is untouched.
        assertThat(pods.get("apps", "stays").metadata().deletionTimestamp()).isNull();
        assertThat(env.resources(Node.class).get(null, "n-2").ready()).isTrue();
        assertThat(pods.get("apps", "elsewhere").ready()).isTrue();

        setStopped(env, "n-1", false);

        env.awaitObject(Node.class, null, "n-1", n -> n.ready() && n.spec().taints().isEmpty());
        env.awaitAbsent(Pod.class, "apps", "plain"); // the kubelet finishes the termination
        env.awaitObject(Pod.class, "apps", "stays", Pod::ready);
    }

    @Test
    void fullyDisruptedZoneKeepsItsPods(TestEnvironment env) throws Exception {
        env.awaitTimeout(Duration.ofSeconds(15));
        env.createNamespace("apps");
        agents = new SimulatedNodes(env.client(), List.of("z-1", "z-2"), FAST_NODES);
        agents.start();
        // The nodes' heartbeats stop within one renew interval of each other: for that moment the zone
        // still looks healthy and the first node may get its NoExecute taint, but once the whole zone is
        // down nothing is evicted, however long the pods' toleration has run out.
        env.startManager(m -> NodeLifecycleController.register(m, FAST.withDefaultToleration(Duration.ofSeconds(2))));
        env.resources(Pod.class).create(pod("p", "z-1"));
        env.awaitObject(Pod.class, "apps", "p", Pod::ready);

        agents.stop("z-1");
        agents.stop("z-2");

        for (String n : List.of("z-1", "z-2")) {
            env.awaitObject(Node.class, null, n, node -> !node.ready()
                    && taint(node, NodeLifecycleController.UNREACHABLE_TAINT, Taint.NO_SCHEDULE).isPresent());
        }
        env.awaitObject(Pod.class, "apps", "p", p -> !p.ready());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() ->
                env.resources(Pod.class).get("apps", "p").metadata().deletionTimestamp() == null);
        // Whichever node was marked down second found its zone fully disrupted: it got no NoExecute taint.
        assertThat(noExecuteCount(env)).isLessThanOrEqualTo(1);
    }

    @Test
    void zoneRateLimitTaintsOneNodeAtATime(TestEnvironment env) throws Exception {
        env.awaitTimeout(Duration.ofSeconds(15));
        agents = new SimulatedNodes(env.client(), SimulatedNodes.names("r", 5), FAST_NODES);
        agents.start();
        // One node may start evicting now (burst 1), the next only after 1000 s.
        env.startManager(m -> NodeLifecycleController.register(m, FAST.withEvictionRates(0.001, 0.001)));

        agents.stop("r-1");
        agents.stop("r-2");

        for (String n : List.of("r-1", "r-2")) {
            env.awaitObject(Node.class, null, n, node -> !node.ready()
                    && taint(node, NodeLifecycleController.UNREACHABLE_TAINT, Taint.NO_SCHEDULE).isPresent());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> noExecuteCount(env) == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> noExecuteCount(env) == 1);
    }

    private static long noExecuteCount(TestEnvironment env) {
        return env.resources(Node.class).list(null).items().stream()
                .filter(n -> taint(n, NodeLifecycleController.UNREACHABLE_TAINT, Taint.NO_EXECUTE).isPresent())
                .count();
    }
}
