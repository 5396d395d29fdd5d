package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.model.Condition;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Deletion order against the rules of Kubernetes' ActivePods / ActivePodsWithRanks. */
class ActivePodsOrderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Pod pod(String name, String node, String phase, Instant readySince, int restarts, Instant created) {
        ObjectMeta meta = ObjectMeta.builder().namespace("ns").name(name).creationTimestamp(created).build();
        PodSpec spec = node == null ? PodSpec.builder().build() : PodSpec.builder().nodeName(node).build();
        PodStatus st = PodStatus.ofPhase(phase);
        if (readySince != null) {
            st = st.withCondition(Condition.of("Ready", Condition.TRUE, null, null, readySince), readySince);
        }
        if (restarts > 0) {
            st = st.withContainerStatuses(List.of(ContainerStatus.of("app", "img", null, readySince != null, restarts)));
        }
        return new Pod(null, null, meta, spec, st, null);
    }

    private static Pod running(String name, Instant readySince) {
        return pod(name, "n1", PodStatus.RUNNING, readySince, 0, T0);
    }

    static Stream<Arguments> firstGoesFirst() {
        return Stream.of(
                Arguments.of("unassigned before assigned",
                        pod("a", null, PodStatus.RUNNING, T0, 0, T0), pod("b", "n1", PodStatus.RUNNING, T0, 0, T0)),
                Arguments.of("Pending before Unknown",
                        pod("a", "n1", PodStatus.PENDING, null, 0, T0), pod("b", "n1", PodStatus.UNKNOWN, null, 0, T0)),
                Arguments.of("Unknown before Running",
                        pod("a", "n1", PodStatus.UNKNOWN, null, 0, T0), pod("b", "n1", PodStatus.RUNNING, null, 0, T0)),
                Arguments.of("not ready before ready", running("a", null), running("b", T0)),
                Arguments.of("more recently ready first", running("a", T0.plusSeconds(10)), running("b", T0)),
                Arguments.of("more restarts first",
                        pod("a", "n1", PodStatus.RUNNING, T0, 5, T0), pod("b", "n1", PodStatus.RUNNING, T0, 1, T0)),
                Arguments.of("newer first",
                        pod("a", "n1", PodStatus.RUNNING, T0, 0, T0.plusSeconds(5)), pod("b", "n1", PodStatus.RUNNING, T0, 0, T0)),
                Arguments.of("missing creation time first",
                        pod("a", "n1", PodStatus.RUNNING, T0, 0, null), pod("b", "n1", PodStatus.RUNNING, T0, 0, T0)),
                Arguments.of("phase outranks readiness",
                        pod("a", "n1", PodStatus.PENDING, T0, 0, T0), pod("b", "n1", PodStatus.RUNNING, null, 0, T0)),
                Arguments.of("ready time outranks restarts",
                        pod("a", "n1", PodStatus.RUNNING, T0.plusSeconds(1), 0, T0), pod("b", "n1", PodStatus.RUNNING, T0, 9, T0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void firstGoesFirst(String rule, Pod first, Pod second) {
        assertThat(ActivePodsOrder.ACTIVE_PODS.compare(first, second)).as(rule).isNegative();
        assertThat(ActivePodsOrder.ACTIVE_PODS.compare(second, first)).as(rule).isPositive();
    }

    @Test
    void equalPodsTie() {
        assertThat(ActivePodsOrder.ACTIVE_PODS.compare(running("a", T0), running("b", T0))).isZero();
    }

    @Test
    void lowerDeletionCostGoesFirst() {
        Pod cheap = running("cheap", T0);
        cheap = cheap.withMetadata(cheap.metadata().toBuilder().annotation(ActivePodsOrder.DELETION_COST, "-10").build());
        Pod recent = running("recent", T0.plusSeconds(100));
        assertThat(ActivePodsOrder.ACTIVE_PODS.compare(cheap, recent)).isNegative();
    }

    @Test
    void replicaSetDeletesDoubledUpPodsFirstAndNotReadyBeforeThat() {
        Pod alone = pod("alone", "n1", PodStatus.RUNNING, T0, 0, T0);
        Pod twinA = pod("twin-a", "n2", PodStatus.RUNNING, T0, 0, T0);
        Pod twinB = pod("twin-b", "n2", PodStatus.RUNNING, T0, 0, T0.plusSeconds(1));
        Pod notReady = pod("not-ready", "n3", PodStatus.RUNNING, null, 0, T0);
        Pod pending = pod("pending", null, PodStatus.PENDING, null, 0, T0);
        List<Pod> owned = new ArrayList<>(List.of(alone, twinA, twinB, notReady, pending));
        List<String> order = ReplicaSetController.podsToDelete(owned, 5).stream().map(p -> p.metadata().name()).toList();
        assertThat(order).containsExactly("pending", "not-ready", "twin-b", "twin-a", "alone");
        assertThat(ReplicaSetController.podsToDelete(owned, 2)).hasSize(2);
    }
}
