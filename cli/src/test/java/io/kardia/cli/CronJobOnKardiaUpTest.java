package io.kardia.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kardia.core.client.KubeClient;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.http.HttpKubeClient;
import io.kardia.core.model.Container;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Namespace;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.PodSpec;
import io.kardia.core.model.PodTemplateSpec;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.ShiftableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17's "done when" for CronJobs: against {@code kardia up} as a user runs it (store over
 * HTTPS, controller manager, a simulated node) through the kubeconfig it writes, a CronJob every
 * minute runs on a clock the test moves (the hook {@link KardiaCommand#KardiaCommand(Shutdown,
 * java.time.Clock)}): three minutes pass in seconds, each makes a Job named after its minute that
 * completes, and the history keeps the newest two.
 */
class CronJobOnKardiaUpTest {
    private static final String NS = "cron-e2e";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private final ShiftableClock clock = new ShiftableClock();

    @Test
    void aCronJobEveryMinuteRunsOnAFakeClock(@TempDir Path tmp) throws Exception {
        try (KardiaUpInTest up = KardiaUpInTest.start(tmp.resolve("data"), sd -> new KardiaCommand(sd, clock), "--nodes", "1");
             KubeClient client = HttpKubeClient.fromKubeConfig(up.kubeconfig())) {
            client.resources(Namespace.class).create(Namespace.named(NS));
            ResourceClient<GenericObject> cronJobs = client.resources(ResourceTypes.CRON_JOB);
            ResourceClient<GenericObject> jobs = client.resources(ResourceTypes.JOB);
            cronJobs.create(cronJob("tick"));
            // Each tick moves the clock just past the next minute; the controller counts the minutes
            // since the CronJob's creation, so it finds the tick even if it sees the CronJob late.
            List<String> made = new ArrayList<>();
            for (int tick = 0; tick < 3; tick++) {
                Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
                clock.advanceTo(minute.plusSeconds(1));
                String name = "tick-" + minute.getEpochSecond() / 60; // kube names a CronJob's Job by its minute
                GenericObject job = await("the Job of " + minute).atMost(WAIT)
                        .until(() -> jobs.find(NS, name), Optional::isPresent).get();
                assertThat(job.metadata().annotations()).containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp",
                        minute.toString());
                await(name + " completes and the CronJob records it").atMost(WAIT).until(
                        () -> cronJobs.get(NS, "tick"),
                        cj -> cj.at("status.lastScheduleTime", Instant.class).filter(minute::equals).isPresent()
                                && cj.at("status.lastSuccessfulTime").isPresent()
                                && cj.at("status.active.0").isEmpty());
                made.add(name);
            }
            await("history limited to the newest 2 Jobs").atMost(WAIT).until(() -> jobsOf(jobs, "tick"),
                    names -> names.size() == 2);
            assertThat(jobsOf(jobs, "tick")).containsExactlyInAnyOrderElementsOf(made.subList(1, 3));
        }
    }

    private static GenericObject cronJob(String name) {
        PodTemplateSpec template = PodTemplateSpec.of(ObjectMeta.builder().build(),
                PodSpec.builder().container(Container.of("work", "busybox")).restartPolicy("Never").build());
        return GenericObject.of(ResourceTypes.CRON_JOB, ObjectMeta.of(NS, name))
                .withAt("spec.schedule", "* * * * *")
                .withAt("spec.successfulJobsHistoryLimit", 2)
                .withAt("spec.jobTemplate.spec.template", template);
    }

    private static List<String> jobsOf(ResourceClient<GenericObject> jobs, String cronJob) {
        return jobs.list(NS).items().stream()
                .filter(j -> j.metadata().controllerRef().map(r -> r.name().equals(cronJob)).orElse(false))
                .map(j -> j.metadata().name()).toList();
    }
}
