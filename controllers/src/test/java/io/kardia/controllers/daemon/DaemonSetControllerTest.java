package io.kardia.controllers.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Node;
import io.kardia.core.model.NodeSpec;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KardiaTest
class DaemonSetControllerTest {
    private static final String NS = "ns";
    private static final Map<String, String> LABELS = Map.of("app", "agent");
    private static final SimulatedNodeOptions FAST = SimulatedNodeOptions.defaults()
            .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofMillis(100));

    private final List<SimulatedNodes> agents = new ArrayList<>();
    private ResourceClient<GenericObject> daemonSets;
    private ResourceClient<Pod> pods;
    private ResourceClient<Node> nodes;

    @BeforeEach
    void setUp(TestEnvironment env) throws Exception {
        env.awaitTimeout(Duration.ofSeconds(60));
        env.createNamespace(NS);
        daemonSets = env.client().resources(ResourceTypes.DAEMON_SET);
        pods = env.resources(Pod.class);
        nodes = env.resources(Node.class);
        env.startManager(DaemonSetController::register);
    }

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedNodes::close);
    }

    private SimulatedNodes startNodes(TestEnvironment env, List<String> names) throws InterruptedException {
        SimulatedNodes set = new SimulatedNodes(env.client(), names, FAST);
        agents.add(set);
        set.start();
        return set;
    }

    static GenericObject daemonSet(String name, String image) {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().labels(LABELS).build(),
                PodSpec.of(Container.of("agent", image)));
        return GenericObject.of(ResourceTypes.DAEMON_SET, ObjectMeta.of(NS, name))
                .withAt("spec.selector", Map.of("matchLabels", LABELS))
                .withAt("spec.template", template);
    }

    private void edit(String name, UnaryOperator<GenericObject> change) {
        Eventually.eventually("the edit of " + name, () -> {
            try {
                daemonSets.update(change.apply(daemonSets.get(NS, name)));
                return true;
            } catch (KubeApiException.ConflictException retry) {
                return false;
            }
        }, ok -> ok);
    }

    private static int status(GenericObject ds, String field) {
        return ds.at("status." + field, Integer.class).orElse(0);
    }

    /** Every count at {@code n} for the current generation, nothing misscheduled. */
    private static boolean settled(GenericObject ds, int n) {
        return ds.at("status.observedGeneration", Long.class).orElse(-1L).equals(ds.metadata().generation())
                && status(ds, "desiredNumberScheduled") == n && status(ds, "currentNumberScheduled") == n
                && status(ds, "numberReady") == n && status(ds, "numberAvailable") == n
                && status(ds, "updatedNumberScheduled") == n && status(ds, "numberMisscheduled") == 0
                && status(ds, "numberUnavailable") == 0;
    }

    private List<Pod> livePods() {
        return pods.list(NS).items().stream().filter(p -> p.metadata().deletionTimestamp() == null).toList();
    }

    private Map<String, String> nodeOfEachPod() {
        return livePods().stream().collect(Collectors.toMap(p -> p.metadata().name(), p -> p.spec().nodeName()));
    }

    @Test
    void followsNodesAddedAndRemoved(TestEnvironment env) throws Exception {
        startNodes(env, List.of("d-1", "d-2"));
        daemonSets.create(daemonSet("agent", "agent:1"));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "agent", ds -> settled(ds, 2));
        assertThat(nodeOfEachPod().values()).containsExactlyInAnyOrder("d-1", "d-2");
        Pod pod = livePods().get(0);
        assertThat(pod.metadata().generateName()).isEqualTo("agent-");
        assertThat(pod.metadata().labels()).containsKey(ControllerRevisions.HASH_LABEL)
                .containsEntry(DaemonPods.TEMPLATE_GENERATION_LABEL, "1");
        assertThat(pod.spec().tolerations()).extracting(Toleration::key)
                .contains(DaemonPlacement.NOT_READY, DaemonPlacement.UNREACHABLE, DaemonPlacement.UNSCHEDULABLE);
        assertThat(pod.spec().extra().get("affinity").toString())
                .contains("metadata.name").contains(pod.spec().nodeName());

        SimulatedNodes third = startNodes(env, List.of("d-3"));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "agent", ds -> settled(ds, 3));
        assertThat(nodeOfEachPod().values()).containsExactlyInAnyOrder("d-1", "d-2", "d-3");

        third.close();
        nodes.delete(null, "d-3");
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "agent", ds -> settled(ds, 2));
        Eventually.eventually("the pod of d-3 to go", () -> pods.list(NS).items(),
                l -> l.size() == 2 && l.stream().noneMatch(p -> "d-3".equals(p.spec().nodeName())));
    }

    @Test
    void honoursNodeSelectorAffinityAndTaints(TestEnvironment env) throws Exception {
        nodes.create(Node.named("edge-1").withMetadata(ObjectMeta.builder().name("edge-1")
                .labels(Map.of("role", "edge", "size", "8")).build()));
        nodes.create(Node.named("edge-2").withMetadata(ObjectMeta.builder().name("edge-2")
                .labels(Map.of("role", "edge", "size", "2")).build()));
        nodes.create(Node.named("core-1").withMetadata(ObjectMeta.builder().name("core-1")
                .labels(Map.of("role", "core", "size", "8")).build()));
        nodes.create(Node.named("edge-tainted").withMetadata(ObjectMeta.builder().name("edge-tainted")
                .labels(Map.of("role", "edge", "size", "8")).build())
                .withSpec(new NodeSpec(null, null, null, null, List.of(Taint.of("dedicated", "db", Taint.NO_SCHEDULE)), Map.of())));
        GenericObject ds = daemonSet("edge", "agent:1")
                .withAt("spec.template.spec.nodeSelector", Map.of("role", "edge"))
                .withAt("spec.template.spec.affinity", Map.of("nodeAffinity", Map.of(
                        "requiredDuringSchedulingIgnoredDuringExecution", Map.of("nodeSelectorTerms", List.of(
                                Map.of("matchExpressions", List.of(Map.of("key", "size", "operator", "Gt",
                                        "values", List.of("4")))))))));
        daemonSets.create(ds);
        // Nothing runs the pods here, so only placement counts settle.
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "edge",
                d -> status(d, "desiredNumberScheduled") == 1 && status(d, "currentNumberScheduled") == 1);
        assertThat(nodeOfEachPod().values()).containsExactly("edge-1");

        // Tolerating the taint makes the tainted node eligible.
        edit("edge", d -> d.withAt("spec.template.spec.tolerations", List.of(Map.of("key", "dedicated",
                "operator", "Equal", "value", "db", "effect", "NoSchedule"))));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "edge", d -> status(d, "desiredNumberScheduled") == 2
                && status(d, "currentNumberScheduled") == 2);

        // A node that stops matching: its pod is misscheduled and deleted (terminating: no kubelet here).
        Node edge1 = nodes.get(null, "edge-1");
        nodes.update(edge1.withMetadata(edge1.metadata().withLabels(Map.of("role", "core", "size", "8"))));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "edge", d -> status(d, "desiredNumberScheduled") == 1
                && status(d, "numberMisscheduled") == 1);
        Eventually.eventually("the pod of edge-1 to be deleted", () -> pods.list(NS).items(), l -> l.stream()
                .filter(p -> "edge-1".equals(p.spec().nodeName()))
                .allMatch(p -> p.metadata().deletionTimestamp() != null));
        assertThat(nodeOfEachPod().values()).containsExactly("edge-tainted");
    }

    /** Per node, the pods that exist (and whether each is ready and not terminating), kept from a watch. */
    private static final class NodeWatcher implements AutoCloseable {
        final Watch<Pod> watch;
        final Thread reader;
        final AtomicInteger minAvailable = new AtomicInteger(Integer.MAX_VALUE);
        final AtomicInteger maxPodsOnANode = new AtomicInteger();

        NodeWatcher(ResourceClient<Pod> pods, int nodeCount) {
            watch = pods.watch(NS, WatchOptions.from(null));
            reader = Thread.ofVirtual().start(() -> {
                Map<String, Pod> state = new HashMap<>();
                try {
                    for (WatchEvent<Pod> e; (e = watch.next()) != null; ) {
                        if (e.type() == WatchEvent.Type.DELETED) {
                            state.remove(e.object().metadata().name());
                        } else if (e.type() == WatchEvent.Type.ADDED || e.type() == WatchEvent.Type.MODIFIED) {
                            state.put(e.object().metadata().name(), e.object());
                        } else {
                            continue;
                        }
                        Map<String, List<Pod>> byNode = state.values().stream()
                                .collect(Collectors.groupingBy(p -> p.spec().nodeName()));
                        long available = byNode.values().stream().filter(l -> l.stream()
                                .anyMatch(p -> p.ready() && p.metadata().deletionTimestamp() == null)).count();
                        if (state.size() >= nodeCount) { // only once the set was complete
                            minAvailable.accumulateAndGet((int) available, Math::min);
                        }
                        // A terminating pod no longer counts: kube's manage step replaces it at once
                        // (podsShouldBeOnNode skips pods with a deletionTimestamp), so only live pods may not double up.
                        byNode.values().forEach(l -> maxPodsOnANode.accumulateAndGet((int) l.stream()
                                .filter(p -> p.metadata().deletionTimestamp() == null).count(), Math::max));
                    }
                } catch (Exception closed) {
                    // the watch ends with the test
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            watch.close();
            reader.join();
        }
    }

    @Test
    void rollsWithinMaxUnavailableThenWithinMaxSurge(TestEnvironment env) throws Exception {
        startNodes(env, SimulatedNodes.names("r", 4));
        daemonSets.create(daemonSet("roll", "agent:1"));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "roll", ds -> settled(ds, 4));

        try (NodeWatcher watcher = new NodeWatcher(pods, 4)) {
            edit("roll", d -> d.withAt("spec.template.spec.containers", List.of(Container.of("agent", "agent:2"))));
            env.awaitObject(ResourceTypes.DAEMON_SET, NS, "roll", ds -> settled(ds, 4)
                    && livePods().stream().allMatch(p -> p.spec().containers().get(0).image().equals("agent:2")));
            assertThat(watcher.minAvailable.get()).as("available nodes, maxUnavailable 1").isEqualTo(3);
            assertThat(watcher.maxPodsOnANode.get()).isEqualTo(1);
        }

        edit("roll", d -> d.withAt("spec.updateStrategy", Map.of("type", "RollingUpdate",
                "rollingUpdate", Map.of("maxSurge", 1, "maxUnavailable", 0))));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "roll", ds -> settled(ds, 4));
        try (NodeWatcher watcher = new NodeWatcher(pods, 4)) {
            edit("roll", d -> d.withAt("spec.template.spec.containers", List.of(Container.of("agent", "agent:3"))));
            env.awaitObject(ResourceTypes.DAEMON_SET, NS, "roll", ds -> settled(ds, 4)
                    && livePods().size() == 4
                    && livePods().stream().allMatch(p -> p.spec().containers().get(0).image().equals("agent:3")));
            assertThat(watcher.minAvailable.get()).as("available nodes, maxUnavailable 0").isEqualTo(4);
            assertThat(watcher.maxPodsOnANode.get()).as("a surge pod beside the old one").isEqualTo(2);
        }
        assertThat(env.client().resources(ControllerRevisions.TYPE).list(NS).items())
                .extracting(ControllerRevisions::revision).containsExactlyInAnyOrder(1L, 2L, 3L);
    }

    @Test
    void onDeleteLeavesPodsUntilTheyAreDeleted(TestEnvironment env) throws Exception {
        startNodes(env, List.of("o-1", "o-2"));
        daemonSets.create(daemonSet("od", "agent:1").withAt("spec.updateStrategy", Map.of("type", "OnDelete")));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "od", ds -> settled(ds, 2));
        edit("od", d -> d.withAt("spec.template.spec.containers", List.of(Container.of("agent", "agent:2"))));
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "od", ds -> ds.at("status.observedGeneration", Long.class)
                .orElse(0L) == 2L && status(ds, "updatedNumberScheduled") == 0 && status(ds, "numberReady") == 2);

        Pod victim = livePods().get(0);
        pods.delete(NS, victim.metadata().name());
        env.awaitObject(ResourceTypes.DAEMON_SET, NS, "od", ds -> status(ds, "updatedNumberScheduled") == 1
                && status(ds, "numberReady") == 2);
        assertThat(livePods()).extracting(p -> p.spec().containers().get(0).image())
                .containsExactlyInAnyOrder("agent:1", "agent:2");
    }

    @Test
    void aSpecTheStoreWouldRefuseIsReportedAndNotRetried(TestEnvironment env) throws Exception {
        // The reference store refuses these (422); another API server might not, so they are handed
        // straight to the reconciler, which must report them and stop rather than act on them.
        io.kardia.runtime.Manager manager = env.startManager(m -> { });
        DaemonSetController controller = new DaemonSetController(manager, java.time.Clock.systemUTC());
        GenericObject stored = daemonSets.create(daemonSet("odd", "x:1"));
        GenericObject mismatched = stored.withAt("spec.selector", Map.of("matchLabels", Map.of("app", "other")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> controller.reconcile(mismatched))
                .isInstanceOf(io.kardia.runtime.TerminalException.class)
                .hasMessageContaining("spec.selector does not match the labels of spec.template");
        GenericObject badBudget = stored.withAt("spec.updateStrategy", Map.of("type", "RollingUpdate",
                "rollingUpdate", Map.of("maxUnavailable", "many")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> controller.reconcile(badBudget))
                .isInstanceOf(io.kardia.runtime.TerminalException.class)
                .hasMessageContaining("spec.updateStrategy.rollingUpdate");
        Eventually.eventually("Warning events on the DaemonSet", () -> env.resources(io.kardia.core.model.Event.class)
                .list(NS).items(), l -> l.stream().anyMatch(e -> "InvalidSelector".equals(e.reason()))
                && l.stream().anyMatch(e -> "InvalidSpec".equals(e.reason())));
    }
}
