package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.simulator.SimulatedPodBehavior;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's "done when" for Jobs, against {@code kardia up} as a user runs it (store over HTTPS,
 * controller manager, simulated nodes) through the kubeconfig it writes: a Job of 5 completions
 * with parallelism 2 completes (its pods run for the simulated nodes' default Job run time), and a
 * Job whose pods exit with code 1 is retried after the 10 s back-off, reaches its backoffLimit of 1
 * and fails.
 */
class JobsOnKardiaUpTest {
    private static final String NS = "batch-e2e";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void jobsCompleteAndFailOnKardiaUp(@TempDir Path tmp) throws Exception {
        try (KardiaUpInTest up = KardiaUpInTest.start(tmp.resolve("data"), "--nodes", "2");
             KubeClient client = HttpKubeClient.fromKubeConfig(up.kubeconfig())) {
            client.resources(Namespace.class).create(Namespace.named(NS));
            var jobs = client.resources(ResourceTypes.JOB);
            jobs.create(job("five", Map.of("completions", 5, "parallelism", 2), Map.of()));
            jobs.create(job("doomed", Map.of("backoffLimit", 1),
                    Map.of(SimulatedPodBehavior.RUN_FOR, "0s", SimulatedPodBehavior.EXIT_CODE, "1")));

            GenericObject five = await().atMost(WAIT).until(() -> jobs.get(NS, "five"), j -> isTrue(j, "Complete"));
            assertThat(five.at("status.succeeded", Integer.class)).contains(5);
            assertThat(five.at("status.completionTime")).isPresent();
            assertThat(podsOf(client, "five")).hasSize(5).allMatch(p -> PodStatus.SUCCEEDED.equals(p.phase()));

            GenericObject doomed = await().atMost(WAIT).until(() -> jobs.get(NS, "doomed"), j -> isTrue(j, "Failed"));
            assertThat(doomed.at("status.failed", Integer.class)).contains(2);
            assertThat(condition(doomed, "Failed").get("reason")).isEqualTo("BackoffLimitExceeded");
            assertThat(podsOf(client, "doomed")).hasSize(2).allMatch(p -> PodStatus.FAILED.equals(p.phase()));
        }
    }

    private static GenericObject job(String name, Map<String, Object> spec, Map<String, String> podAnnotations) {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().annotations(podAnnotations).build(),
                PodSpec.builder().container(Container.of("work", "busybox")).restartPolicy("Never").build());
        GenericObject job = GenericObject.of(ResourceTypes.JOB, ObjectMeta.of(NS, name)).withAt("spec.template", template);
        for (Map.Entry<String, Object> e : spec.entrySet()) {
            job = job.withAt("spec." + e.getKey(), e.getValue());
        }
        return job;
    }

    private static List<Pod> podsOf(KubeClient client, String job) {
        return client.resources(Pod.class).list(NS).items().stream()
                .filter(p -> job.equals(p.metadata().labels().get("batch.kubernetes.io/job-name"))).toList();
    }

    private static Map<?, ?> condition(GenericObject job, String type) {
        for (Object o : job.at("status.conditions", List.class).orElse(List.of())) {
            if (o instanceof Map<?, ?> c && type.equals(c.get("type"))) {
                return c;
            }
        }
        return Map.of();
    }

    private static boolean isTrue(GenericObject job, String type) {
        return "True".equals(condition(job, type).get("status"));
    }
}
