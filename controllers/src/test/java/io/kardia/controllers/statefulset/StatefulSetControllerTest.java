package io.kardia.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.controllers.history.ControllerRevisions;
import io.kardia.controllers.workload.TestKubelet;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.Eventually;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@KardiaTest
class StatefulSetControllerTest {
    private static final String NS = "ns";
    private static final Map<String, String> LABELS = Map.of("app", "web");

    private ResourceClient<GenericObject> sets;
    private ResourceClient<Pod> pods;
    private ResourceClient<GenericObject> claims;

    @BeforeEach
    void setUp(TestEnvironment env) {
        env.awaitTimeout(Duration.ofSeconds(60));
        env.createNamespace(NS);
        sets = env.client().resources(ResourceTypes.STATEFUL_SET);
        pods = env.resources(Pod.class);
        claims = env.client().resources(ResourceTypes.PERSISTENT_VOLUME_CLAIM);
    }

    static GenericObject statefulSet(String name, int replicas, String image) {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().labels(LABELS).build(),
                PodSpec.of(Container.of("app", image)));
        return GenericObject.of(ResourceTypes.STATEFUL_SET, ObjectMeta.of(NS, name))
                .withAt("spec.replicas", replicas)
                .withAt("spec.serviceName", name)
                .withAt("spec.selector", Map.of("matchLabels", LABELS))
                .withAt("spec.template", template)
                .withAt("spec.volumeClaimTemplates", List.of(Map.of(
                        "metadata", Map.of("name", "data"),
                        "spec", Map.of("accessModes", List.of("ReadWriteOnce"),
                                "resources", Map.of("requests", Map.of("storage", "1Gi"))))));
    }

    private void edit(String name, UnaryOperator<GenericObject> change) {
        Eventually.eventually("the edit of " + name, () -> {
            try {
                sets.update(change.apply(sets.get(NS, name)));
                return true;
            } catch (KubeApiException.ConflictException retry) {
                return false;
            }
        }, ok -> ok);
    }

    private static int status(GenericObject set, String field) {
        return set.at("status." + field, Integer.class).orElse(0);
    }

    private static boolean rolledOut(GenericObject s, int replicas) {
        return Objects.equals(s.at("status.observedGeneration", Long.class).orElse(-1L), s.metadata().generation())
                && status(s, "replicas") == replicas && status(s, "readyReplicas") == replicas
                && status(s, "updatedReplicas") == replicas && status(s, "currentReplicas") == replicas
                && status(s, "availableReplicas") == replicas
                && s.at("status.currentRevision").equals(s.at("status.updateRevision"));
    }

    private static String image(Pod p) {
        return p.spec().containers().get(0).image();
    }

    private List<Pod> podsOf(String set) {
        return pods.list(NS).items().stream()
                .filter(p -> p.metadata().controllerRef().map(r -> r.name().equals(set)).orElse(false))
                .sorted(Comparator.comparing(p -> p.metadata().name()))
                .toList();
    }

    @Test
    void orderedReadyCreatesInOrderAndRollsHighestOrdinalFirstOneAtATime(TestEnvironment env) throws Exception {
        TestKubelet.startAllReady(env);
        env.startManager(StatefulSetController::register);
        try (PodTimeline timeline = new PodTimeline(pods, NS)) {
            sets.create(statefulSet("web", 3, "nginx:1"));
            env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "web", s -> rolledOut(s, 3));

            // Created in ordinal order, each only once its predecessors were Running and Ready.
            List<PodTimeline.Step> added = timeline.steps(WatchEvent.Type.ADDED);
            assertThat(added).extracting(PodTimeline.Step::name).containsExactly("web-0", "web-1", "web-2");
            for (int k = 1; k < 3; k++) {
                Map<String, Pod> before = added.get(k).before();
                for (int j = 0; j < k; j++) {
                    assertThat(before.get("web-" + j)).as("web-%d when web-%d was created", j, k)
                            .isNotNull().matches(Pod::ready);
                }
            }
            Pod first = pods.get(NS, "web-0");
            assertThat(first.spec().extra()).containsEntry("hostname", "web-0").containsEntry("subdomain", "web");
            assertThat(first.metadata().labels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-0")
                    .containsEntry("apps.kubernetes.io/pod-index", "0").containsKey(ControllerRevisions.HASH_LABEL);
            assertThat(first.spec().extra().get("volumes").toString()).contains("claimName=data-web-0");
            for (int i = 0; i < 3; i++) {
                GenericObject claim = claims.get(NS, "data-web-" + i);
                assertThat(claim.at("spec.resources.requests.storage")).contains("1Gi");
                assertThat(claim.metadata().labels()).containsAllEntriesOf(LABELS);
                assertThat(claim.metadata().ownerReferences()).as("Retain keeps the claims unowned").isEmpty();
            }

            edit("web", s -> s.withAt("spec.template.spec.containers", List.of(Container.of("app", "nginx:2"))));
            GenericObject done = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "web",
                    s -> rolledOut(s, 3) && podsOf("web").stream().allMatch(p -> image(p).equals("nginx:2")));

            // Deleted highest ordinal first, one at a time: every other pod ready, the higher ones already new.
            List<PodTimeline.Step> deleted = timeline.steps(WatchEvent.Type.DELETED);
            assertThat(deleted).extracting(PodTimeline.Step::name).containsExactly("web-2", "web-1", "web-0");
            for (PodTimeline.Step step : deleted) {
                int k = Integer.parseInt(step.name().substring(4));
                for (int j = 0; j < 3; j++) {
                    Pod other = step.before().get("web-" + j);
                    assertThat(other).as("web-%d when web-%d was deleted", j, k).isNotNull().matches(Pod::ready);
                    assertThat(image(other)).isEqualTo(j > k ? "nginx:2" : "nginx:1");
                }
            }
            List<GenericObject> revisions = env.client().resources(ControllerRevisions.TYPE).list(NS).items();
            assertThat(revisions).hasSize(2).extracting(ControllerRevisions::revision).containsExactlyInAnyOrder(1L, 2L);
            GenericObject latest = revisions.stream().max(ControllerRevisions.BY_REVISION).orElseThrow();
            assertThat(done.at("status.updateRevision")).contains(latest.metadata().name());
            assertThat(latest.metadata().controllerRef()).map(OwnerReference::name).contains("web");
            assertThat(podsOf("web")).allSatisfy(p -> assertThat(p.metadata().labels())
                    .containsEntry(ControllerRevisions.HASH_LABEL, latest.metadata().name()));
        }
    }

    @Test
    void partitionKeepsLowerOrdinalsOnTheCurrentRevision(TestEnvironment env) throws Exception {
        TestKubelet.startAllReady(env);
        env.startManager(StatefulSetController::register);
        sets.create(statefulSet("db", 3, "pg:1").withAt("spec.updateStrategy",
                Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", 2))));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "db", s -> rolledOut(s, 3));

        edit("db", s -> s.withAt("spec.template.spec.containers", List.of(Container.of("app", "pg:2"))));
        GenericObject partial = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "db",
                s -> status(s, "updatedReplicas") == 1 && status(s, "currentReplicas") == 2
                        && status(s, "readyReplicas") == 3);
        assertThat(partial.at("status.currentRevision")).isNotEqualTo(partial.at("status.updateRevision"));
        assertThat(podsOf("db")).extracting(StatefulSetControllerTest::image).containsExactly("pg:1", "pg:1", "pg:2");

        edit("db", s -> s.withAt("spec.updateStrategy.rollingUpdate.partition", 0));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "db", s -> rolledOut(s, 3));
        assertThat(podsOf("db")).extracting(StatefulSetControllerTest::image).containsOnly("pg:2");
    }

    @Test
    void parallelCreatesWithoutWaitingAndScaleDownHandsClaimsToTheirPods(TestEnvironment env) throws Exception {
        env.startManager(StatefulSetController::register); // no kubelet: nothing becomes ready
        sets.create(statefulSet("cache", 3, "redis:7").withAt("spec.podManagementPolicy", "Parallel")
                .withAt("spec.ordinals", Map.of("start", 5))
                .withAt("spec.persistentVolumeClaimRetentionPolicy", Map.of("whenDeleted", "Delete", "whenScaled", "Delete")));
        GenericObject set = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "cache", s -> status(s, "replicas") == 3);
        assertThat(podsOf("cache")).extracting(p -> p.metadata().name()).containsExactly("cache-5", "cache-6", "cache-7");
        assertThat(status(set, "readyReplicas")).isZero();
        Eventually.eventually("claims owned by the set", () -> claims.list(NS).items(), l -> l.size() == 3
                && l.stream().allMatch(c -> c.metadata().ownerReferences().stream()
                .anyMatch(r -> r.uid().equals(set.metadata().uid()))));

        Pod condemned = pods.get(NS, "cache-7");
        edit("cache", s -> s.withAt("spec.replicas", 2));
        env.awaitAbsent(Pod.class, NS, "cache-7");
        GenericObject claim = claims.get(NS, "data-cache-7");
        assertThat(claim.metadata().ownerReferences()).extracting(OwnerReference::uid)
                .containsExactly(condemned.metadata().uid());
        assertThat(claims.get(NS, "data-cache-6").metadata().ownerReferences()).extracting(OwnerReference::uid)
                .containsExactly(set.metadata().uid());
    }

    @Test
    void onDeleteReplacesOnlyDeletedPods(TestEnvironment env) throws Exception {
        TestKubelet.startAllReady(env);
        env.startManager(StatefulSetController::register);
        sets.create(statefulSet("q", 2, "mq:1").withAt("spec.updateStrategy", Map.of("type", "OnDelete")));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "q", s -> rolledOut(s, 2));
        edit("q", s -> s.withAt("spec.template.spec.containers", List.of(Container.of("app", "mq:2"))));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "q", s -> !s.at("status.currentRevision")
                .equals(s.at("status.updateRevision")) && status(s, "updatedReplicas") == 0);
        assertThat(podsOf("q")).extracting(StatefulSetControllerTest::image).containsOnly("mq:1");

        pods.delete(NS, "q-1");
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "q",
                s -> status(s, "updatedReplicas") == 1 && status(s, "readyReplicas") == 2);
        assertThat(podsOf("q")).extracting(StatefulSetControllerTest::image).containsExactly("mq:1", "mq:2");
    }

    @Test
    void aSpecTheStoreWouldRefuseIsReportedAndNotRetried(TestEnvironment env) throws Exception {
        // The reference store refuses such a set (422); another API server might not, so it is handed
        // straight to the reconciler, which must report it and stop rather than act on it.
        io.kardia.runtime.Manager manager = env.startManager(m -> { });
        StatefulSetController controller = new StatefulSetController(manager, java.time.Clock.systemUTC());
        GenericObject bad = sets.create(statefulSet("odd", 1, "x:1"))
                .withAt("spec.selector", Map.of("matchLabels", Map.of("app", "other")));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> controller.reconcile(bad))
                .isInstanceOf(io.kardia.runtime.TerminalException.class)
                .hasMessageContaining("spec.selector does not match the labels of spec.template");
        Eventually.eventually("a Warning event on the set", () -> env.resources(io.kardia.core.model.Event.class)
                .list(NS).items(), l -> l.stream().anyMatch(e -> "InvalidSelector".equals(e.reason())
                && "odd".equals(e.involvedObject().name())));
        assertThat(podsOf("odd")).isEmpty();
    }

    /** A clock tests move by hand: minReadySeconds is judged on it. */
    private static final class MovableClock extends java.time.Clock {
        private volatile java.time.Instant now;

        MovableClock(java.time.Instant start) {
            now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void minReadySecondsHoldsBackTheNextOrdinalAndAvailability(TestEnvironment env) throws Exception {
        MovableClock clock = new MovableClock(java.time.Instant.now());
        TestKubelet.startAllReady(env);
        env.startManager(m -> StatefulSetController.register(m, clock));
        sets.create(statefulSet("slow", 2, "x:1").withAt("spec.minReadySeconds", 30));
        GenericObject first = env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "slow",
                s -> status(s, "readyReplicas") == 1);
        // Ready, not yet available: OrderedReady does not make the next pod (kube since 1.25).
        assertThat(status(first, "availableReplicas")).isZero();
        assertThat(podsOf("slow")).extracting(p -> p.metadata().name()).containsExactly("slow-0");

        clock.advance(Duration.ofSeconds(60));
        edit("slow", s -> s.withMetadata(s.metadata().toBuilder().annotation("wake", "up").build()));
        env.awaitObject(ResourceTypes.STATEFUL_SET, NS, "slow", s -> status(s, "readyReplicas") == 2
                && status(s, "availableReplicas") == 2);
    }
}
