package io.kardia.controllers.workload;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.runtime.Result;
import io.kardia.runtime.testkit.TestEnvironment;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;

/**
 * Simulated readiness for tests (not the node agents): a controller on its own manager and client
 * that marks every pod {@code shouldBeReady} accepts Running and Ready through {@code updateStatus}.
 */
public final class TestKubelet {

    private TestKubelet() {
    }

    public static void start(TestEnvironment env, Predicate<Pod> shouldBeReady) throws InterruptedException {
        ResourceClient<Pod> pods = env.newClient().resources(Pod.class);
        env.startManager(io.kardia.runtime.Manager.builder(env.newClient())
                        .cacheSyncTimeout(java.time.Duration.ofSeconds(10))
                        .gracefulShutdownTimeout(java.time.Duration.ofSeconds(2)),
                m -> m.newController().forKind(Pod.class).named("test-kubelet").maxConcurrentReconciles(4)
                        .complete(pod -> {
                            if (pod.ready() || pod.metadata().deletionTimestamp() != null || !shouldBeReady.test(pod)) {
                                return Result.done();
                            }
                            pods.updateStatus(markReady(pod));
                            return Result.done();
                        }));
    }

    /** Adds the readiness controller to a manager the test runs itself. */
    static void register(io.kardia.runtime.Manager m, ResourceClient<Pod> pods) {
        m.newController().forKind(Pod.class).named("test-kubelet").maxConcurrentReconciles(4)
                .complete(pod -> {
                    if (!pod.ready() && pod.metadata().deletionTimestamp() == null) {
                        pods.updateStatus(markReady(pod));
                    }
                    return Result.done();
                });
    }

    public static void startAllReady(TestEnvironment env) throws InterruptedException {
        start(env, p -> true);
    }

    public static Pod markReady(Pod pod) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        PodStatus base = pod.status() == null ? PodStatus.ofPhase(PodStatus.RUNNING) : pod.status();
        PodStatus st = base.withPhase(PodStatus.RUNNING)
                .withCondition(Condition.of("Ready", Condition.TRUE, null, null, now), now);
        return pod.withStatus(st);
    }
}
