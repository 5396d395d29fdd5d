package io.kardia.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kardia.controllers.workload.RolloutMath.Fenceposts;
import io.kardia.controllers.workload.RolloutMath.Sized;
import io.kardia.core.model.IntOrString;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolloutMathTest {

    private static IntOrString v(String s) {
        return s.endsWith("%") ? IntOrString.of(s) : IntOrString.of(Integer.parseInt(s));
    }

    /** Kubernetes' TestResolveFenceposts cases and the docs' rounding rule: surge rounds up, unavailable down. */
    @ParameterizedTest(name = "surge {0}, unavailable {1} of {2} -> {3}/{4}")
    @CsvSource({
            "0,    0,    0,  0, 1",   // both zero: one may be unavailable (Kubernetes)
            "39%,  39%,  10, 4, 3",   // Kubernetes' test: 3.9 rounds up to 4, down to 3
            "25%,  25%,  10, 3, 2",   // the API defaults on 10 replicas
            "25%,  25%,  1,  1, 0",   // defaults on 1 replica: surge one, never unavailable
            "25%,  25%,  4,  1, 1",
            "0,    1,    5,  0, 1",
            "3,    2,    10, 3, 2",   // absolute values as given
            "100%, 0%,   3,  3, 0",
            "0%,   100%, 3,  0, 3",
            "50%,  50%,  0,  0, 1",   // scaled to nothing: one unavailable
    })
    void resolvesFenceposts(String surge, String unavailable, int desired, int expectSurge, int expectUnavailable) {
        assertThat(RolloutMath.resolveFenceposts(v(surge), v(unavailable), desired))
                .isEqualTo(new Fenceposts(expectSurge, expectUnavailable));
    }

    @Test
    void refusesPercentagesThatAreNotNumbers() {
        assertThatThrownBy(() -> RolloutMath.resolveFenceposts(IntOrString.of("oops"), v("39%"), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RolloutMath.resolveFenceposts(v("55%"), IntOrString.of("urg%"), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "desired {0}, surge {1}, pods {2}, new {3} -> {4}")
    @CsvSource({
            "10, 3, 10, 0,  3",   // rollout starts: 3 surge pods
            "10, 3, 13, 3,  3",   // at the bound: no more
            "10, 3, 11, 3,  5",   // two old pods went: two more new
            "10, 3, 3,  3,  10",  // old all gone: capped at desired
            "1,  1, 5,  5,  5",   // Kubernetes' "can not scale up - to newRSReplicas"
            "6,  10, 3, 2,  6",   // plenty of surge: capped at desired
    })
    void growsTheNewReplicaSetWithinTheSurge(int desired, int surge, int pods, int newReplicas, int expected) {
        assertThat(RolloutMath.newReplicaSetReplicas(desired, surge, pods, newReplicas)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "pods {0}, desired {1}, maxUnavailable {2}, new unavailable {3} -> {4}")
    @CsvSource({
            "13, 10, 2, 3, 2",   // the first scale-down of a 25%/25% rollout of 10
            "13, 10, 2, 5, 0",   // new pods not yet available: nothing may go
            "10, 10, 0, 0, 0",   // maxUnavailable 0: only surge frees old pods
            "11, 10, 0, 0, 1",
    })
    void boundsTheOldScaleDown(int pods, int desired, int maxUnavailable, int newUnavailable, int expected) {
        assertThat(Math.max(0, RolloutMath.maxScaledDown(pods, desired, maxUnavailable, newUnavailable))).isEqualTo(expected);
    }

    private static Sized rs(String name, int replicas, Integer maxAnnotation, long created) {
        return new Sized(name, Instant.ofEpochSecond(created), replicas, maxAnnotation);
    }

    /** The Kubernetes docs' example: 10 replicas, maxSurge 3, maxUnavailable 2, stuck at 8 old + 5 new, scaled to 15. */
    @Test
    void spreadsAScaleUpAsTheKubernetesDocumentationDescribes() {
        Map<String, Integer> sizes = RolloutMath.proportionalSizes(
                List.of(rs("old", 8, 13, 1), rs("new", 5, 13, 2)), 15, 3, 13);
        assertThat(sizes).containsEntry("old", 11).containsEntry("new", 7);
    }

    @Test
    void scalesDownProportionallyAndOlderFirstOnTies() {
        // 20 -> 10 with surge 0: 10 + 10 replicas (max-replicas 20) become 5 + 5
        assertThat(RolloutMath.proportionalSizes(List.of(rs("a", 10, 20, 1), rs("b", 10, 20, 2)), 10, 0, 20))
                .containsEntry("a", 5).containsEntry("b", 5);
        // to zero: everything goes
        assertThat(RolloutMath.proportionalSizes(List.of(rs("a", 3, 5, 1), rs("b", 2, 5, 2)), 0, 0, 5))
                .containsEntry("a", 0).containsEntry("b", 0);
        // leftovers go to the first (largest; on equal sizes the newest when scaling up)
        Map<String, Integer> up = RolloutMath.proportionalSizes(List.of(rs("old", 1, 2, 1), rs("new", 1, 2, 2)), 3, 0, 2);
        assertThat(up.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
        assertThat(up).containsEntry("new", 2).containsEntry("old", 1);
    }

    @Test
    void fallsBackToTheDeploymentsReplicasWithoutAnnotation() {
        assertThat(RolloutMath.proportionalSizes(List.of(rs("a", 4, null, 1), rs("b", 4, null, 2)), 16, 0, 8))
                .containsEntry("a", 8).containsEntry("b", 8);
    }
}
