package io.kardia.controllers.cronjob;

import static io.kardia.controllers.job.JobFixtures.NS;
import static io.kardia.controllers.job.JobFixtures.hasCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kardia.controllers.job.JobFixtures;
import io.kardia.runtime.testkit.ShiftableClock;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Event;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodes;
import io.kardia.simulator.SimulatedPodBehavior;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** CronJobs over HTTP on a clock the test moves: a schedule of every minute runs without waiting minutes. */
@KardiaTest(http = true)
class CronJobControllerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final ShiftableClock clock = new ShiftableClock();
    private SimulatedNodes nodes;
    private ResourceClient<GenericObject> cronJobs;
    private ResourceClient<GenericObject> jobs;

    @BeforeEach
    void cluster(TestEnvironment env) throws InterruptedException {
        nodes = JobFixtures.cluster(env, clock, CronJobController::register);
        cronJobs = env.client().resources(ResourceTypes.CRON_JOB);
        jobs = env.client().resources(ResourceTypes.JOB);
    }

    @AfterEach
    void stopNodes() {
        nodes.close();
    }

    private static GenericObject cronJob(String name, String schedule, Map<String, Object> spec, Map<String, String> podAnnotations) {
        GenericObject template = JobFixtures.job(name, Map.of(), podAnnotations);
        GenericObject cj = GenericObject.of(ResourceTypes.CRON_JOB, ObjectMeta.of(NS, name))
                .withAt("spec.schedule", schedule)
                .withAt("spec.jobTemplate.spec", template.spec());
        for (Map.Entry<String, Object> e : spec.entrySet()) {
            cj = cj.withAt("spec." + e.getKey(), e.getValue());
        }
        return cj;
    }

    private List<GenericObject> jobsOf(String cronJob) {
        return jobs.list(NS).items().stream()
                .filter(j -> j.metadata().controllerRef().map(r -> r.name().equals(cronJob)).orElse(false)).toList();
    }

    /** Puts the clock {@code secondsIntoMinute} seconds after the next minute boundary. */
    private Instant toNextMinute(int secondsIntoMinute) {
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        clock.advanceTo(minute.plusSeconds(secondsIntoMinute));
        return minute;
    }

    @Test
    void aCronJobEveryMinuteRunsOnAFakeClock(TestEnvironment env) {
        cronJobs.create(cronJob("tick", "* * * * *", Map.of("successfulJobsHistoryLimit", 2), Map.of()));
        Instant first = toNextMinute(1);
        String firstName = "tick-" + first.getEpochSecond() / 60;
        GenericObject job = await().atMost(WAIT).until(() -> jobs.find(NS, firstName), Optional::isPresent).get();
        assertThat(job.metadata().annotations().get(CronJobController.SCHEDULED_TIMESTAMP)).isEqualTo(first.toString());
        assertThat(job.metadata().controllerRef()).get().extracting(r -> r.kind()).isEqualTo("CronJob");
        GenericObject cj = env.awaitObject(ResourceTypes.CRON_JOB, NS, "tick",
                c -> c.at("status.lastSuccessfulTime").isPresent() && c.at("status.active.0").isEmpty());
        assertThat(cj.at("status.lastScheduleTime", Instant.class)).contains(first);
        assertThat(hasCondition(jobs.get(NS, firstName), "Complete", null)).isTrue();

        for (int i = 0; i < 3; i++) {
            Instant t = toNextMinute(1);
            env.awaitObject(ResourceTypes.CRON_JOB, NS, "tick", c -> c.at("status.lastScheduleTime", Instant.class)
                    .filter(t::equals).isPresent() && c.at("status.active.0").isEmpty());
        }
        await("history limited to 2 succeeded Jobs").atMost(WAIT).until(() -> jobsOf("tick").size() == 2);
        assertThat(jobs.find(NS, firstName)).as("the oldest went first").isEmpty();
    }

    @Test
    void forbidSkipsWhileAJobRunsAndReplaceReplacesIt(TestEnvironment env) {
        Map<String, String> forever = Map.of(SimulatedPodBehavior.RUN_FOR, SimulatedPodBehavior.FOREVER);
        cronJobs.create(cronJob("only-one", "* * * * *", Map.of("concurrencyPolicy", "Forbid"), forever));
        cronJobs.create(cronJob("newest", "* * * * *", Map.of("concurrencyPolicy", "Replace"), forever));
        toNextMinute(1);
        await().atMost(WAIT).until(() -> jobsOf("only-one").size() == 1 && jobsOf("newest").size() == 1);
        String replaced = jobsOf("newest").get(0).metadata().name();

        Instant second = toNextMinute(1);
        env.awaitObject(ResourceTypes.CRON_JOB, NS, "newest", c -> c.at("status.lastScheduleTime", Instant.class)
                .filter(second::equals).isPresent());
        await().atMost(WAIT).until(() -> jobsOf("newest").stream().noneMatch(j -> j.metadata().name().equals(replaced)));
        assertThat(jobsOf("newest")).hasSize(1);
        assertThat(jobsOf("only-one")).as("Forbid: no second Job while the first runs").hasSize(1);
        assertThat(cronJobs.get(NS, "only-one").at("status.lastScheduleTime", Instant.class)).isNotEqualTo(Optional.of(second));
    }

    @Test
    void aTimeTooFarPastTheStartingDeadlineIsSkipped(TestEnvironment env) {
        cronJobs.create(cronJob("strict", "* * * * *", Map.of("startingDeadlineSeconds", 10), Map.of()));
        toNextMinute(30); // the controller sees the minute 30 s late
        Instant inTime = toNextMinute(5);
        env.awaitObject(ResourceTypes.CRON_JOB, NS, "strict", c -> c.at("status.lastScheduleTime", Instant.class)
                .filter(inTime::equals).isPresent());
        assertThat(jobsOf("strict")).hasSize(1);
    }

    @Test
    void badSchedulesAndTimeZonesAreRefusedAndOthersKeepRunning(TestEnvironment env) {
        // The API refuses them (422), so the controller never sees them; its own guard (an Event) is
        // for servers whose rules differ, and CronScheduleTest covers the parse errors it reports.
        assertThatThrownBy(() -> cronJobs.create(cronJob("bad-minute", "61 * * * *", Map.of(), Map.of())))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("spec.schedule: Invalid value: \"61 * * * *\"");
        assertThatThrownBy(() -> cronJobs.create(cronJob("bad-zone", "* * * * *", Map.of("timeZone", "Mars/Olympus_Mons"), Map.of())))
                .isInstanceOf(KubeApiException.InvalidException.class)
                .hasMessageContaining("unknown time zone Mars/Olympus_Mons");
        cronJobs.create(cronJob("good", "* * * * *", Map.of(), Map.of()));
        toNextMinute(1);
        await().atMost(WAIT).until(() -> jobsOf("good").size() == 1);
        assertThat(reasons(env, "good")).doesNotContain("UnparseableSchedule", "UnknownTimeZone");
    }

    private static List<String> reasons(TestEnvironment env, String object) {
        return env.client().resources(Event.class).list(NS).items().stream()
                .filter(e -> e.involvedObject() != null && object.equals(e.involvedObject().name()))
                .map(Event::reason).toList();
    }
}
