package io.kardia.controllers.job;

import io.kardia.controllers.scheduler.Scheduler;
import io.kardia.controllers.scheduler.SchedulerOptions;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.ShiftableClock;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodeOptions;
import io.kardia.simulator.SimulatedNodes;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Jobs for the tests, and a cluster to run them: scheduler, Job controller on a shiftable clock, simulated nodes. */
public final class JobFixtures {
    public static final String NS = "batch";

    private JobFixtures() {
    }

    /** Starts the scheduler and the Job controller (polling the clock every 100 ms) and two simulated nodes. */
    public static SimulatedNodes cluster(TestEnvironment env, ShiftableClock clock,
            java.util.function.BiConsumer<io.kardia.runtime.Manager, JobControllerOptions> more) throws InterruptedException {
        env.createNamespace(NS);
        JobControllerOptions options = JobControllerOptions.defaults().withClock(clock, Duration.ofMillis(100));
        env.startManager(m -> {
            Scheduler.register(m, SchedulerOptions.defaults());
            JobController.register(m, options);
            more.accept(m, options);
        });
        SimulatedNodes nodes = new SimulatedNodes(env.newClient(), SimulatedNodes.names("node", 2),
                SimulatedNodeOptions.defaults().withTimings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ZERO)
                        .withJobPodRunTime(Duration.ofMillis(300)));
        nodes.start();
        return nodes;
    }

    public static SimulatedNodes cluster(TestEnvironment env, ShiftableClock clock) throws InterruptedException {
        return cluster(env, clock, (m, o) -> { });
    }

    public static GenericObject job(String name, Map<String, Object> spec, Map<String, String> podAnnotations) {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().label("app", name).annotations(podAnnotations)
                .build(), PodSpec.builder().container(Container.of("work", "busybox")).restartPolicy("Never").build());
        GenericObject job = GenericObject.of(ResourceTypes.JOB, ObjectMeta.of(NS, name)).withAt("spec.template", template);
        for (Map.Entry<String, Object> e : spec.entrySet()) {
            job = job.withAt("spec." + e.getKey(), e.getValue());
        }
        return job;
    }

    public static List<Pod> podsOf(TestEnvironment env, String job) {
        return env.client().resources(Pod.class).list(NS).items().stream()
                .filter(p -> job.equals(p.metadata().labels().get("batch.kubernetes.io/job-name")))
                .toList();
    }

    public static int count(GenericObject job, String field) {
        return job.at("status." + field, Integer.class).orElse(0);
    }

    public static boolean hasCondition(GenericObject job, String type, String reason) {
        return job.at("status.conditions", List.class).orElse(List.of()).stream()
                .anyMatch(o -> o instanceof Map<?, ?> c && type.equals(c.get("type")) && "True".equals(c.get("status"))
                        && (reason == null || reason.equals(c.get("reason"))));
    }
}
