package io.kardia.controllers.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.Event;
import io.kardia.core.model.Node;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.Quantity;
import io.kardia.core.model.ResourceRequirements;
import io.kardia.core.model.Taint;
import io.kardia.core.model.Toleration;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler on simulated nodes s-1 (zone-a), s-2 (zone-b), s-3 (zone-c): 4 cpu, 16Gi, 110 pods each. */
@KardiaTest
class SchedulerTest {
    private static final SimulatedNodeOptions NODES = SimulatedNodeOptions.defaults().withZones(3)
            .withTimings(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ZERO);

    private final List<SimulatedNodes> agents = new java.util.ArrayList<>();
    private TestEnvironment env;
    private ResourceClient<Pod> pods;

    @BeforeEach
    void setUp(TestEnvironment environment) throws Exception {
        env = environment;
        env.createNamespace("apps");
        pods = env.resources(Pod.class);
        startNodes(SimulatedNodes.names("s", 3), NODES);
        env.startManager(m -> Scheduler.register(m, 
                new SchedulerOptions(SchedulerOptions.DEFAULT_SCHEDULER, 2, Duration.ofSeconds(30))));
    }

    @AfterEach
    void tearDown() {
        agents.forEach(SimulatedNodes::close);
    }

    private void startNodes(List<String> names, SimulatedNodeOptions options) throws InterruptedException {
        SimulatedNodes set = new SimulatedNodes(env.client(), names, options);
        agents.add(set);
        set.start();
    }

    private static PodSpec.Builder spec(String cpu) {
        Map<String, Quantity> requests = cpu == null ? Map.of() : Map.of("cpu", Quantity.parse(cpu));
        return PodSpec.of(new Container("c", "nginx", null, null, null, null, null,
                ResourceRequirements.of(requests, Map.of()), null, null)).toBuilder();
    }

    private Pod create(String name, PodSpec spec, OwnerReference owner) {
        ObjectMeta.Builder m = ObjectMeta.builder().namespace("apps").name(name);
        if (owner != null) {
            m.ownerReference(owner);
        }
        return pods.create(Pod.of(m.build(), spec));
    }

    private String awaitBound(String name) {
        return env.awaitObject(Pod.class, "apps", name, p -> p.spec().nodeName() != null).spec().nodeName();
    }

    @Test
    @SuppressWarnings("unchecked")
    void simulatedNodesReportTheirSystemInfoAsKubeletsDo() {
        Node node = env.resources(Node.class).get(null, "s-1");
        Map<String, Object> info = (Map<String, Object>) node.status().extra().get("nodeInfo");
        assertThat(info).containsEntry("kubeletVersion", "v1.35.0-kardia-simulated")
                .containsEntry("operatingSystem", "linux");
    }

    @Test
    void spreadsReplicasOfOneOwnerAcrossNodes() {
        OwnerReference rs = new OwnerReference("apps/v1", "ReplicaSet", "web", "uid-web", true, true, null);
        for (int i = 0; i < 6; i++) {
            create("web-" + i, spec("100m").build(), rs);
        }
        Map<String, Long> perNode = java.util.stream.IntStream.range(0, 6).mapToObj(i -> awaitBound("web-" + i))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perNode).containsOnly(Map.entry("s-1", 2L), Map.entry("s-2", 2L), Map.entry("s-3", 2L));
        // Bound pods are counted: with 0.2 cpu taken on every node, 3.9 cpu fit nowhere.
        create("big", spec("3900m").build(), null);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> pods.get("apps", "big").spec().nodeName() == null);
    }

    @Test
    void honoursNodeSelectorTaintsAndUnschedulableNodes() {
        ResourceClient<Node> nodes = env.resources(Node.class);
        Node s1 = nodes.get(null, "s-1");
        nodes.update(s1.withSpec(s1.spec().withTaints(List.of(Taint.of("dedicated", "infra", Taint.NO_SCHEDULE)))));
        Node s3 = nodes.get(null, "s-3");
        nodes.update(s3.withSpec(s3.spec().withUnschedulable(true)));

        create("zoned", spec(null).nodeSelector(Map.of("topology.kubernetes.io/zone", "zone-b")).build(), null);
        assertThat(awaitBound("zoned")).isEqualTo("s-2");
        for (int i = 0; i < 4; i++) {
            create("free-" + i, spec(null).build(), null);
            assertThat(awaitBound("free-" + i)).isEqualTo("s-2");
        }
        create("tolerant", spec(null).tolerations(List.of(new Toleration("dedicated", "Equal", "infra",
                Taint.NO_SCHEDULE, null, null))).nodeSelector(Map.of("kubernetes.io/hostname", "s-1")).build(), null);
        assertThat(awaitBound("tolerant")).isEqualTo("s-1");

        create("picky", spec(null).nodeSelector(Map.of("kubernetes.io/hostname", "s-1")).build(), null);
        Pod picky = env.awaitObject(Pod.class, "apps", "picky", p -> p.status() != null
                && Condition.find(p.status().conditions(), "PodScheduled").map(c -> "Unschedulable".equals(c.reason())).orElse(false));
        assertThat(Condition.find(picky.status().conditions(), "PodScheduled").orElseThrow().message())
                .isEqualTo("0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
                        + "1 node(s) had untolerated taint {dedicated: infra}, 1 node(s) were unschedulable.");
        assertThat(picky.spec().nodeName()).isNull();
    }

    @Test
    void unschedulablePodGetsConditionAndEventAndIsRetriedWhenANodeJoins() throws Exception {
        create("huge", spec("6").build(), null);
        Pod huge = env.awaitObject(Pod.class, "apps", "huge", p -> p.status() != null
                && Condition.find(p.status().conditions(), "PodScheduled").map(c -> Condition.FALSE.equals(c.status())).orElse(false));
        Condition scheduled = Condition.find(huge.status().conditions(), "PodScheduled").orElseThrow();
        assertThat(scheduled.reason()).isEqualTo("Unschedulable");
        assertThat(scheduled.message()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
        await().atMost(Duration.ofSeconds(10)).until(() -> env.resources(Event.class).list("apps").items().stream()
                .anyMatch(e -> "FailedScheduling".equals(e.reason()) && "huge".equals(e.involvedObject().name())
                        && Event.WARNING.equals(e.type())));

        startNodes(List.of("big-1"), NODES.withCapacity("8", "32Gi", 110));

        assertThat(awaitBound("huge")).isEqualTo("big-1");
        env.awaitObject(Pod.class, "apps", "huge", Pod::ready);
    }

    @Test
    void manyPodsAreBoundWithoutOvercommitting() {
        // 3 nodes x 4 cpu: exactly 12 pods of 1 cpu fit; the 13th and later must wait.
        for (int i = 0; i < 15; i++) {
            create("one-" + i, spec("1").build(), null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pods.list("apps").items().stream()
                .filter(p -> p.spec().nodeName() != null).count() == 12);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> pods.list("apps").items().stream()
                .filter(p -> p.spec().nodeName() != null).count() == 12);
        Map<String, Long> perNode = pods.list("apps").items().stream().filter(p -> p.spec().nodeName() != null)
                .collect(Collectors.groupingBy(p -> p.spec().nodeName(), Collectors.counting()));
        assertThat(perNode).containsOnly(Map.entry("s-1", 4L), Map.entry("s-2", 4L), Map.entry("s-3", 4L));
    }
}
