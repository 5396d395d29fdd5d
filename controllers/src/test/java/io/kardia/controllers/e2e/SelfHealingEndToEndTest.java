package io.kardia.controllers.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.ControllerManager;
import io.kardia.controllers.node.NodeLifecycleController;
import io.kardia.controllers.node.NodeLifecycleOptions;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Deployment;
import io.kardia.core.model.Node;
import io.kardia.core.model.Pod;
import io.kardia.core.model.Taint;
import io.kardia.informer.ResourceEventHandler;
import io.kardia.informer.SharedInformerFactory;
import io.kardia.runtime.Manager;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The headline: 3 simulated nodes, a Deployment of 6 replicas, one node dies. Its pods are
 * evicted after grace + toleration, replaced on the other nodes, the Deployment is Available with
 * 6 ready replicas again, and no pod was bound to the dead node once it was tainted. Every
 * component talks only through the store.
 */
@KardiaTest
class SelfHealingEndToEndTest {
    private static final String DEPLOYMENT = """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"namespace":"apps","name":"web"},
             "spec":{"replicas":6,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}""";

    /** A pod seen bound for the first time, at the store revision of that event. */
    private record Binding(String pod, String node, long revision) {
    }

    @Test
    void podsOfADeadNodeAreReplacedElsewhere(TestEnvironment env) throws Exception {
        env.awaitTimeout(Duration.ofSeconds(30));
        env.createNamespace("apps");
        Queue<Binding> bindings = new ConcurrentLinkedQueue<>();
        AtomicLong taintedAt = new AtomicLong(Long.MAX_VALUE);
        try (SharedInformerFactory watcher = new SharedInformerFactory(env.newClient());
             SimulatedNodes nodes = new SimulatedNodes(env.client(), SimulatedNodes.names("node", 3),
                     SimulatedNodeOptions.defaults().withTimings(Duration.ofMillis(150), Duration.ofSeconds(1),
                             Duration.ofMillis(50)))) {
            recordBindingsAndTaints(watcher, bindings, taintedAt, "node-2");
            watcher.start();
            nodes.start();
            Manager manager = ControllerManager.start(env.client(), 
                    NodeLifecycleOptions.defaults().withGracePeriod(Duration.ofMillis(1500))
                            .withDefaultToleration(Duration.ofSeconds(1)).withMonitorPeriod(Duration.ofMillis(200)),
                    SchedulerOptions.defaults(), false);
            try {
                env.resources(Deployment.class).create(Json.mapper().readValue(DEPLOYMENT, Deployment.class));
                awaitAvailable(env);
                assertThat(podsByNode(env)).containsOnlyKeys("node-1", "node-2", "node-3");
                List<String> onDeadNode = livePods(env).stream().filter(p -> "node-2".equals(p.spec().nodeName()))
                        .map(p -> p.metadata().name()).toList();
                assertThat(onDeadNode).hasSize(2);

                nodes.stop("node-2");

                for (String name : onDeadNode) {
                    env.awaitObject(Pod.class, "apps", name, p -> p.metadata().deletionTimestamp() != null);
                }
                awaitAvailable(env);
                Map<String, Long> perNode = podsByNode(env);
                assertThat(perNode).doesNotContainKey("node-2");
                assertThat(perNode.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(6);
                assertThat(taintedAt.get()).isLessThan(Long.MAX_VALUE);
                assertThat(bindings).filteredOn(b -> b.node().equals("node-2") && b.revision() > taintedAt.get())
                        .isEmpty();
                assertThat(bindings).filteredOn(b -> !b.node().equals("node-2")).hasSizeGreaterThanOrEqualTo(6);
            } finally {
                manager.close();
            }
        }
    }

    private static void recordBindingsAndTaints(SharedInformerFactory watcher, Queue<Binding> bindings,
                                                AtomicLong taintedAt, String deadNode) {
        watcher.informerFor(Pod.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod, boolean initial) {
                if (bound(pod)) {
                    record(pod);
                }
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                if (!bound(oldPod) && bound(newPod)) {
                    record(newPod);
                }
            }

            private void record(Pod pod) {
                bindings.add(new Binding(pod.metadata().name(), pod.spec().nodeName(),
                        Long.parseLong(pod.metadata().resourceVersion())));
            }
        });
        watcher.informerFor(Node.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onUpdate(Node oldNode, Node newNode) {
                if (deadNode.equals(newNode.metadata().name()) && newNode.spec() != null && newNode.spec().taints().stream()
                        .anyMatch(t -> NodeLifecycleController.UNREACHABLE_TAINT.equals(t.key())
                                && Taint.NO_SCHEDULE.equals(t.effect()))) {
                    taintedAt.accumulateAndGet(Long.parseLong(newNode.metadata().resourceVersion()), Math::min);
                }
            }
        });
    }

    private static boolean bound(Pod p) {
        return p.spec() != null && p.spec().nodeName() != null && !p.spec().nodeName().isEmpty();
    }

    private static void awaitAvailable(TestEnvironment env) {
        env.awaitObject(Deployment.class, "apps", "web", d -> d.status() != null
                && Integer.valueOf(6).equals(d.status().readyReplicas())
                && Integer.valueOf(6).equals(d.status().availableReplicas())
                && Condition.isTrue(d.status().conditions(), "Available"));
        // Status counts can run ahead of the pods: also wait for 6 live, ready pods.
        io.kardia.runtime.testkit.Eventually.eventually(Duration.ofSeconds(30), "6 ready live pods",
                () -> livePods(env), pods -> pods.size() == 6 && pods.stream().allMatch(Pod::ready));
    }

    private static List<Pod> livePods(TestEnvironment env) {
        return env.resources(Pod.class).list("apps").items().stream()
                .filter(p -> p.metadata().deletionTimestamp() == null).toList();
    }

    private static Map<String, Long> podsByNode(TestEnvironment env) {
        return livePods(env).stream().collect(Collectors.groupingBy(p -> p.spec().nodeName(), Collectors.counting()));
    }
}
