package io.kardia.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Container;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.store.ReferenceStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pods on simulated nodes live as their annotations say, on a clock the test moves. */
class SimulatedPodLifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NS = "sim";

    private ReferenceStore store;
    private KubeClient client;
    private ResourceClient<Pod> pods;
    private SimulatedNodes nodes;
    private final ManualSimulationClock clock = new ManualSimulationClock(Instant.parse("2026-01-01T00:00:00Z"));

    @BeforeEach
    void start() throws InterruptedException {
        store = ReferenceStore.inMemory();
        client = store.client();
        client.resources(Namespace.class).create(Namespace.named(NS));
        pods = client.resources(Pod.class);
        nodes = new SimulatedNodes(client, List.of("n-1"), SimulatedNodeOptions.defaults()
                .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ZERO)
                .withJobPodRunTime(Duration.ofSeconds(3)), clock);
        nodes.start();
    }

    @AfterEach
    void stop() {
        nodes.close();
        client.close();
        store.close();
    }

    private Pod create(String name, String restartPolicy, Map<String, String> annotations) {
        return create(name, ObjectMeta.builder().namespace(NS).name(name).annotations(annotations).build(),
                PodSpec.builder().container(Container.of("main", "busybox")).restartPolicy(restartPolicy)
                        .nodeName("n-1").build());
    }

    private Pod create(String name, ObjectMeta meta, PodSpec spec) {
        return pods.create(Pod.of(meta, spec));
    }

    private Pod awaitPod(String name, String what, Predicate<Pod> condition) {
        return await(what).atMost(WAIT).until(() -> pods.get(NS, name), condition::test);
    }

    private static ContainerStatus main(Pod pod) {
        return pod.status().containerStatuses().get(0);
    }

    @Test
    void aPodWithoutAnnotationsRunsAndStaysReady() {
        create("plain", null, Map.of());
        awaitPod("plain", "Running and Ready", Pod::ready);
        clock.advance(Duration.ofHours(5));
        Pod later = pods.get(NS, "plain");
        assertThat(later.phase()).isEqualTo(PodStatus.RUNNING);
        assertThat(later.ready()).isTrue();
        assertThat(clock.pendingTasks()).as("nothing is scheduled for a pod that runs forever").isZero();
    }

    @Test
    void aPodCompletesAfterItsRunTimeWithItsExitCode() {
        create("ok", "Never", Map.of(SimulatedPodBehavior.RUN_FOR, "30s"));
        create("bad", "Never", Map.of(SimulatedPodBehavior.RUN_FOR, "30s", SimulatedPodBehavior.EXIT_CODE, "3"));
        awaitPod("ok", "Running", Pod::ready);
        awaitPod("bad", "Running", Pod::ready);
        clock.advance(Duration.ofSeconds(29));
        assertThat(pods.get(NS, "ok").phase()).isEqualTo(PodStatus.RUNNING);

        clock.advance(Duration.ofSeconds(1));
        Pod ok = awaitPod("ok", "Succeeded", p -> PodStatus.SUCCEEDED.equals(p.phase()));
        assertThat(main(ok).state().terminated().exitCode()).isZero();
        assertThat(main(ok).state().terminated().reason()).isEqualTo("Completed");
        assertThat(ok.ready()).isFalse();
        Pod bad = awaitPod("bad", "Failed", p -> PodStatus.FAILED.equals(p.phase()));
        assertThat(main(bad).state().terminated().exitCode()).isEqualTo(3);
        assertThat(main(bad).state().terminated().reason()).isEqualTo("Error");
        assertThat(main(bad).state().terminated().finishedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));
    }

    @Test
    void aFailingContainerCrashLoopsWithGrowingBackOff() {
        create("crash", "Always", Map.of(SimulatedPodBehavior.RUN_FOR, "5s", SimulatedPodBehavior.EXIT_CODE, "1"));
        awaitPod("crash", "Running", Pod::ready);

        clock.advance(Duration.ofSeconds(5));
        Pod backingOff = awaitPod("crash", "first restart pending", p -> main(p).restartCount() == 1);
        assertThat(main(backingOff).state().waiting().reason()).isEqualTo("CrashLoopBackOff");
        assertThat(main(backingOff).lastState().terminated().exitCode()).isEqualTo(1);
        assertThat(backingOff.phase()).isEqualTo(PodStatus.RUNNING);
        assertThat(backingOff.ready()).isFalse();

        clock.advance(Duration.ofSeconds(10)); // the first back-off
        awaitPod("crash", "restarted", p -> p.ready() && main(p).state().running() != null);
        clock.advance(Duration.ofSeconds(5));
        awaitPod("crash", "second exit", p -> main(p).restartCount() == 2);
        clock.advance(Duration.ofSeconds(10));
        assertThat(main(pods.get(NS, "crash")).state().waiting()).as("the second back-off is 20 s").isNotNull();
        clock.advance(Duration.ofSeconds(10));
        awaitPod("crash", "restarted after 20 s", p -> main(p).state().running() != null);
    }

    @Test
    void onFailureRestartsOnlyAFailedContainer() {
        create("retry", "OnFailure", Map.of(SimulatedPodBehavior.RUN_FOR, "1s", SimulatedPodBehavior.EXIT_CODE, "2"));
        create("done", "OnFailure", Map.of(SimulatedPodBehavior.RUN_FOR, "1s"));
        awaitPod("retry", "Running", Pod::ready);
        awaitPod("done", "Running", Pod::ready);
        clock.advance(Duration.ofSeconds(1));
        awaitPod("retry", "restarting", p -> main(p).restartCount() == 1 && PodStatus.RUNNING.equals(p.phase()));
        awaitPod("done", "Succeeded", p -> PodStatus.SUCCEEDED.equals(p.phase()));
    }

    @Test
    void readinessWaitsForTheAnnotationTheProbesAndTheGates() {
        create("late", null, Map.of(SimulatedPodBehavior.READY_AFTER, "20s"));
        Container probed = new Container("main", "nginx", null, null, null, null, null, null, null,
                Map.of("readinessProbe", Map.of("initialDelaySeconds", 40)));
        create("probed", ObjectMeta.of(NS, "probed"), PodSpec.builder().container(probed).nodeName("n-1").build());
        create("gated", ObjectMeta.of(NS, "gated"), PodSpec.builder().container(Container.of("main", "nginx"))
                .nodeName("n-1").extra("readinessGates", List.of(Map.of("conditionType", "example.com/lb"))).build());

        awaitPod("late", "Running, not ready", p -> PodStatus.RUNNING.equals(p.phase()));
        awaitPod("probed", "Running, not ready", p -> PodStatus.RUNNING.equals(p.phase()));
        Pod gated = awaitPod("gated", "containers ready, the gate not", p -> Condition.isTrue(p.status().conditions(),
                "ContainersReady"));
        assertThat(gated.ready()).isFalse();
        assertThat(Condition.find(gated.status().conditions(), "Ready").orElseThrow().reason())
                .isEqualTo("ReadinessGatesNotReady");
        assertThat(pods.get(NS, "late").ready()).isFalse();

        clock.advance(Duration.ofSeconds(20));
        awaitPod("late", "ready after 20 s", Pod::ready);
        assertThat(pods.get(NS, "probed").ready()).isFalse();
        clock.advance(Duration.ofSeconds(20));
        awaitPod("probed", "ready after the probe's 40 s", Pod::ready);

        Pod g = pods.get(NS, "gated");
        pods.updateStatus(g.withStatus(g.status().withCondition(
                Condition.of("example.com/lb", Condition.TRUE, null, null, null), clock.now())));
        awaitPod("gated", "ready once its gate is True", Pod::ready);
    }

    @Test
    void aJobsPodCompletesByDefaultUnlessAnnotated() {
        OwnerReference job = new OwnerReference("batch/v1", "Job", "work", "uid-1", true, true, null);
        create("job-pod", ObjectMeta.builder().namespace(NS).name("job-pod").ownerReference(job).build(),
                PodSpec.builder().container(Container.of("main", "busybox")).restartPolicy("Never").nodeName("n-1").build());
        create("job-server", ObjectMeta.builder().namespace(NS).name("job-server").ownerReference(job)
                        .annotation(SimulatedPodBehavior.RUN_FOR, SimulatedPodBehavior.FOREVER).build(),
                PodSpec.builder().container(Container.of("main", "busybox")).restartPolicy("Never").nodeName("n-1").build());
        awaitPod("job-pod", "Running", Pod::ready);
        awaitPod("job-server", "Running", Pod::ready);
        clock.advance(Duration.ofSeconds(3));
        awaitPod("job-pod", "Succeeded after the default 3 s", p -> PodStatus.SUCCEEDED.equals(p.phase()));
        clock.advance(Duration.ofHours(1));
        assertThat(pods.get(NS, "job-server").phase()).isEqualTo(PodStatus.RUNNING);
    }

    @Test
    void anUnreadableAnnotationIsReportedAndTheDefaultsApply() {
        create("typo", null, Map.of(SimulatedPodBehavior.RUN_FOR, "ten seconds"));
        Pod pod = awaitPod("typo", "Running", Pod::ready);
        assertThat(pod.status().reason()).isEqualTo(PodLifecycle.INVALID_ANNOTATION);
        assertThat(pod.status().message()).contains(SimulatedPodBehavior.RUN_FOR).contains("ten seconds");
    }

    @Test
    void durationsAndBackOffs() {
        assertThat(SimulatedPodBehavior.parseDuration("1m30s")).contains(Duration.ofSeconds(90));
        assertThat(SimulatedPodBehavior.parseDuration("1.5s")).contains(Duration.ofMillis(1500));
        assertThat(SimulatedPodBehavior.parseDuration("250ms")).contains(Duration.ofMillis(250));
        assertThat(SimulatedPodBehavior.parseDuration("2h")).contains(Duration.ofHours(2));
        assertThat(SimulatedPodBehavior.parseDuration("0")).contains(Duration.ZERO);
        assertThat(SimulatedPodBehavior.parseDuration("10")).isEmpty();
        assertThat(SimulatedPodBehavior.parseDuration("s")).isEmpty();
        assertThat(SimulatedPodBehavior.parseDuration("5s garbage")).isEmpty();
        assertThat(PodLifecycle.backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(PodLifecycle.backoff(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(PodLifecycle.backoff(5)).isEqualTo(Duration.ofSeconds(160));
        assertThat(PodLifecycle.backoff(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(PodLifecycle.backoff(60)).isEqualTo(Duration.ofMinutes(5));
    }
}
