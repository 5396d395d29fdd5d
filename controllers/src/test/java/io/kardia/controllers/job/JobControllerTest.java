package io.kardia.controllers.job;

import static io.kardia.controllers.job.JobFixtures.NS;
import static io.kardia.controllers.job.JobFixtures.count;
import static io.kardia.controllers.job.JobFixtures.hasCondition;
import static io.kardia.controllers.job.JobFixtures.job;
import static io.kardia.controllers.job.JobFixtures.podsOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.kardia.core.client.ResourceClient;
import io.kardia.core.client.Watch;
import io.kardia.core.client.WatchEvent;
import io.kardia.core.client.WatchOptions;
import io.kardia.controllers.gc.GarbageCollector;
import io.kardia.controllers.workload.Pods;
import io.kardia.core.model.Condition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ResourceTypes;
import io.kardia.runtime.testkit.ShiftableClock;
import io.kardia.runtime.testkit.KardiaTest;
import io.kardia.runtime.testkit.TestEnvironment;
import io.kardia.simulator.SimulatedNodes;
import io.kardia.simulator.SimulatedPodBehavior;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Job controller with the scheduler and simulated nodes on the in-process store. */
@KardiaTest
class JobControllerTest {
    private final ShiftableClock clock = new ShiftableClock();
    private SimulatedNodes nodes;

    @AfterEach
    void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    private ResourceClient<GenericObject> jobs(TestEnvironment env) {
        return env.client().resources(ResourceTypes.JOB);
    }

    @Test
    void fiveCompletionsTwoAtATime(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock);
        // Count the pods running at once from the pods' own events.
        Set<String> running = ConcurrentHashMap.newKeySet();
        AtomicInteger mostAtOnce = new AtomicInteger();
        ResourceClient<Pod> podApi = env.newClient().resources(Pod.class);
        Watch<Pod> watch = podApi.watch(NS, WatchOptions.from(podApi.list(NS).resourceVersion()));
        Thread watcher = Thread.ofVirtual().start(() -> {
            try {
                for (WatchEvent<Pod> e; (e = watch.next()) != null; ) {
                    Pod p = e.object();
                    if (p == null) {
                        continue;
                    }
                    if (e.type() != WatchEvent.Type.DELETED && Pods.isActive(p)) {
                        running.add(p.metadata().name());
                    } else {
                        running.remove(p.metadata().name());
                    }
                    mostAtOnce.accumulateAndGet(running.size(), Math::max);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        jobs(env).create(job("five", Map.of("completions", 5, "parallelism", 2), Map.of()));

        GenericObject done = env.awaitObject(ResourceTypes.JOB, NS, "five", j -> hasCondition(j, "Complete", null));
        watch.close();
        watcher.join();
        assertThat(count(done, "succeeded")).isEqualTo(5);
        assertThat(count(done, "failed")).isZero();
        assertThat(count(done, "active")).isZero();
        assertThat(hasCondition(done, "SuccessCriteriaMet", "CompletionsReached")).isTrue();
        assertThat(done.at("status.completionTime")).isPresent();
        assertThat(done.at("status.startTime")).isPresent();
        assertThat(mostAtOnce.get()).as("pods active at once").isLessThanOrEqualTo(2);
        List<Pod> pods = podsOf(env, "five");
        assertThat(pods).hasSize(5).allMatch(p -> PodStatus.SUCCEEDED.equals(p.phase()))
                .allMatch(p -> !JobController.hasFinalizer(p));
    }

    @Test
    void failingPodsAreReplacedAfterABackOffUntilTheBackoffLimit(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock);
        jobs(env).create(job("flaky", Map.of("backoffLimit", 2),
                Map.of(SimulatedPodBehavior.RUN_FOR, "0s", SimulatedPodBehavior.EXIT_CODE, "1")));

        env.awaitObject(ResourceTypes.JOB, NS, "flaky", j -> count(j, "failed") == 1);
        assertThat(podsOf(env, "flaky")).as("the replacement waits for the 10 s back-off").hasSize(1);
        clock.advance(Duration.ofSeconds(10));
        env.awaitObject(ResourceTypes.JOB, NS, "flaky", j -> count(j, "failed") == 2);
        clock.advance(Duration.ofSeconds(20));
        GenericObject failed = env.awaitObject(ResourceTypes.JOB, NS, "flaky", j -> hasCondition(j, "Failed", null));

        assertThat(count(failed, "failed")).isEqualTo(3);
        assertThat(hasCondition(failed, "Failed", "BackoffLimitExceeded")).isTrue();
        assertThat(hasCondition(failed, "FailureTarget", "BackoffLimitExceeded")).isTrue();
        assertThat(failed.at("status.completionTime")).isEmpty();
        assertThat(podsOf(env, "flaky")).hasSize(3).allMatch(p -> PodStatus.FAILED.equals(p.phase()))
                .allMatch(p -> !JobController.hasFinalizer(p));
    }

    @Test
    void aFailJobRuleFailsTheJobAtOnceAndAnIgnoreRuleDoesNotCount(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock);
        Map<String, Object> policy = Map.of("rules", List.of(
                Map.of("action", "FailJob", "onExitCodes", Map.of("operator", "In", "values", List.of(42))),
                Map.of("action", "Ignore", "onPodConditions", List.of(Map.of("type", "DisruptionTarget")))));
        jobs(env).create(job("fatal", Map.of("podFailurePolicy", policy),
                Map.of(SimulatedPodBehavior.RUN_FOR, "0s", SimulatedPodBehavior.EXIT_CODE, "42")));
        jobs(env).create(job("evicted", Map.of("podFailurePolicy", policy),
                Map.of(SimulatedPodBehavior.RUN_FOR, SimulatedPodBehavior.FOREVER)));

        GenericObject fatal = env.awaitObject(ResourceTypes.JOB, NS, "fatal", j -> hasCondition(j, "Failed", null));
        assertThat(hasCondition(fatal, "Failed", "PodFailurePolicy")).isTrue();
        assertThat(JobStatus.of(fatal).conditions().stream().filter(c -> c.type().equals("Failed")).findFirst()
                .orElseThrow().message()).contains("failed with exit code 42 matching FailJob rule at index 0");

        // An eviction: the pod fails with a DisruptionTarget condition; not counted, it is replaced after the back-off.
        Pod victim = env.awaitObject(Pod.class, NS, podsOfName(env, "evicted"), Pod::ready);
        Instant now = Instant.now();
        env.client().resources(Pod.class).updateStatus(victim.withStatus(victim.status().withPhase(PodStatus.FAILED)
                .withCondition(Condition.of("DisruptionTarget", Condition.TRUE, "EvictionByEvictionAPI", "evicted", now), now)));
        env.awaitObject(Pod.class, NS, victim.metadata().name(), p -> !JobController.hasFinalizer(p));
        clock.advance(Duration.ofSeconds(10));
        env.awaitObject(ResourceTypes.JOB, NS, "evicted", j -> count(j, "active") == 1 && podsOf(env, "evicted").size() == 2);
        GenericObject evicted = jobs(env).get(NS, "evicted");
        assertThat(count(evicted, "failed")).isZero();
        assertThat(hasCondition(evicted, "Failed", null)).isFalse();
    }

    private static String podsOfName(TestEnvironment env, String job) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> podsOf(env, job), l -> !l.isEmpty()).get(0).metadata().name();
    }

    @Test
    void aJobPastItsActiveDeadlineFailsAndItsPodsGo(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock);
        jobs(env).create(job("slow", Map.of("activeDeadlineSeconds", 30, "parallelism", 2, "completions", 4),
                Map.of(SimulatedPodBehavior.RUN_FOR, SimulatedPodBehavior.FOREVER)));
        env.awaitObject(ResourceTypes.JOB, NS, "slow", j -> count(j, "ready") == 2);

        clock.advance(Duration.ofSeconds(30));
        GenericObject failed = env.awaitObject(ResourceTypes.JOB, NS, "slow", j -> hasCondition(j, "Failed", null));
        assertThat(hasCondition(failed, "Failed", "DeadlineExceeded")).isTrue();
        assertThat(count(failed, "active")).isZero();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> podsOf(env, "slow").isEmpty());
    }

    @Test
    void aSuspendedJobRunsNoPodsUntilResumed(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock);
        jobs(env).create(job("later", Map.of("suspend", true, "completions", 2, "parallelism", 2),
                Map.of(SimulatedPodBehavior.RUN_FOR, SimulatedPodBehavior.FOREVER)));
        GenericObject suspended = env.awaitObject(ResourceTypes.JOB, NS, "later", j -> hasCondition(j, "Suspended", "JobSuspended"));
        assertThat(podsOf(env, "later")).isEmpty();
        assertThat(suspended.at("status.startTime")).isEmpty();

        jobs(env).update(suspended.withAt("spec.suspend", false));
        GenericObject resumed = env.awaitObject(ResourceTypes.JOB, NS, "later", j -> count(j, "ready") == 2);
        assertThat(JobStatus.of(resumed).conditions()).anyMatch(c -> c.type().equals("Suspended")
                && c.status().equals(Condition.FALSE) && "JobResumed".equals(c.reason()));

        jobs(env).update(jobs(env).get(NS, "later").withAt("spec.suspend", true));
        env.awaitObject(ResourceTypes.JOB, NS, "later", j -> hasCondition(j, "Suspended", null) && count(j, "active") == 0);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> podsOf(env, "later").isEmpty());
        assertThat(count(jobs(env).get(NS, "later"), "failed")).as("pods deleted by suspension are not failures").isZero();
    }

    @Test
    void anIndexedJobRunsEachIndexOnce(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock);
        jobs(env).create(job("indexed", Map.of("completionMode", "Indexed", "completions", 3, "parallelism", 3), Map.of()));
        GenericObject done = env.awaitObject(ResourceTypes.JOB, NS, "indexed", j -> hasCondition(j, "Complete", null));
        assertThat(done.at("status.completedIndexes", String.class)).contains("0-2");
        assertThat(count(done, "succeeded")).isEqualTo(3);
        List<Pod> pods = podsOf(env, "indexed");
        assertThat(pods).hasSize(3);
        assertThat(pods.stream().map(p -> p.metadata().annotations().get(CompletionIndexes.ANNOTATION))
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("0", "1", "2");
        for (Pod p : pods) {
            String ix = p.metadata().labels().get(CompletionIndexes.LABEL);
            assertThat(p.metadata().name()).startsWith("indexed-" + ix + "-");
            assertThat(p.spec().extra()).containsEntry("hostname", "indexed-" + ix);
            assertThat(p.spec().containers().get(0).env()).anyMatch(e -> CompletionIndexes.ENV.equals(e.name()));
        }
    }

    @Test
    void aFinishedJobIsDeletedInTheForegroundAfterItsTtl(TestEnvironment env) throws Exception {
        nodes = JobFixtures.cluster(env, clock, (m, o) -> GarbageCollector.register(m));
        GenericObject created = jobs(env).create(job("brief", Map.of("ttlSecondsAfterFinished", 60), Map.of()));
        env.awaitObject(ResourceTypes.JOB, NS, "brief", j -> hasCondition(j, "Complete", null));
        assertThat(podsOf(env, "brief")).isNotEmpty();
        ResourceClient<GenericObject> jobApi = env.newClient().resources(ResourceTypes.JOB);
        ResourceClient<Pod> podApi = env.newClient().resources(Pod.class);
        // What happens to the Job and its pods from here on, each with the store revision it happened at.
        Map<String, Long> history = new ConcurrentHashMap<>();
        Watch<GenericObject> jobWatch = jobApi.watch(NS, WatchOptions.from(jobApi.list(NS).resourceVersion()));
        Watch<Pod> podWatch = podApi.watch(NS, WatchOptions.from(podApi.list(NS).resourceVersion()));
        Thread.ofVirtual().start(() -> record(jobWatch, history));
        Thread.ofVirtual().start(() -> record(podWatch, history));
        try {
            clock.advance(Duration.ofSeconds(59));
            assertThat(jobs(env).find(NS, "brief")).isPresent();
            clock.advance(Duration.ofSeconds(2));
            env.awaitAbsent(ResourceTypes.JOB, NS, "brief");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> history.containsKey("DELETED brief"));
            assertThat(podsOf(env, "brief")).as("the pods went with their Job").isEmpty();
            Long deleting = history.get("FOREGROUND brief");
            long jobGone = history.get("DELETED brief");
            assertThat(deleting).as("Foreground: the Job waits, deleting, for its pods; seen: %s", history).isNotNull();
            List<Long> podsGone = history.entrySet().stream().filter(e -> e.getKey().startsWith("DELETED brief-"))
                    .map(Map.Entry::getValue).toList();
            assertThat(podsGone).as("seen: %s", history).isNotEmpty()
                    .allMatch(rv -> rv > deleting && rv < jobGone, "deleted while the Job waited");
        } finally {
            jobWatch.close();
            podWatch.close();
        }
    }

    /**
     * Records the revision of each {@code DELETED name} event of {@code watch}, and of the first
     * {@code FOREGROUND name} (the object deleting with the foregroundDeletion finalizer).
     */
    private static <T extends io.kardia.core.model.KubeObject> void record(Watch<T> watch, Map<String, Long> history) {
        try {
            for (WatchEvent<T> e; (e = watch.next()) != null; ) {
                T o = e.object();
                if (o == null) {
                    continue;
                }
                long rv = Long.parseLong(o.metadata().resourceVersion());
                if (o.metadata().deletionTimestamp() != null && o.metadata().finalizers().contains(GarbageCollector.FOREGROUND)) {
                    history.putIfAbsent("FOREGROUND " + o.metadata().name(), rv);
                }
                if (e.type() == WatchEvent.Type.DELETED) {
                    history.put("DELETED " + o.metadata().name(), rv);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException closed) {
            // the watch was closed
        }
    }

    @Test
    void aControllerRestartMidJobCountsEveryPodExactlyOnce(TestEnvironment env) throws Exception {
        env.createNamespace(NS);
        JobControllerOptions options = JobControllerOptions.defaults().withClock(clock, Duration.ofMillis(100));
        java.util.function.Consumer<io.kardia.runtime.Manager> controllers = m -> {
            io.kardia.controllers.scheduler.Scheduler.register(m, io.kardia.controllers.scheduler.SchedulerOptions.defaults());
            JobController.register(m, options);
        };
        io.kardia.runtime.Manager first = env.startManager(controllers);
        nodes = new SimulatedNodes(env.newClient(), SimulatedNodes.names("node", 2),
                io.kardia.simulator.SimulatedNodeOptions.defaults()
                        .withTimings(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ZERO)
                        .withJobPodRunTime(Duration.ofMillis(300)));
        nodes.start();
        jobs(env).create(job("restarted", Map.of("completions", 8, "parallelism", 2), Map.of()));
        env.awaitObject(ResourceTypes.JOB, NS, "restarted", j -> count(j, "succeeded") >= 2);

        first.close(); // pods keep finishing while no controller counts them: they keep the finalizer
        // Every bound pod left finishes (nothing creates or binds more now; one created but not yet bound
        // stays Pending for the next scheduler). Those running at the close finish with the finalizer,
        // uncounted, for the next controller; the close may also fall between one sync's finalizer
        // removals and the next one's creates, leaving none running: then the next controller starts
        // from counted pods only. Either way each pod must be counted once.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> podsOf(env, "restarted").stream()
                .allMatch(p -> PodStatus.SUCCEEDED.equals(p.phase()) || PodStatus.FAILED.equals(p.phase())
                        || p.spec().nodeName() == null));
        env.startManager(controllers);

        GenericObject done = env.awaitObject(ResourceTypes.JOB, NS, "restarted", j -> hasCondition(j, "Complete", null));
        assertThat(count(done, "succeeded")).isEqualTo(8);
        assertThat(count(done, "failed")).isZero();
        assertThat(podsOf(env, "restarted")).hasSize(8).allMatch(p -> !JobController.hasFinalizer(p));
    }

    @Test
    void completedIndexesRoundTrip() {
        java.util.BitSet s = CompletionIndexes.parse("1,3-5,7", 10);
        assertThat(s.cardinality()).isEqualTo(5);
        assertThat(CompletionIndexes.format(s)).isEqualTo("1,3-5,7");
        assertThat(CompletionIndexes.format(CompletionIndexes.parse("0-9", 4))).isEqualTo("0-3");
        assertThat(CompletionIndexes.format(CompletionIndexes.parse("x,2", 4))).isEqualTo("2");
        assertThat(JobControllerOptions.defaults().backoff(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(JobControllerOptions.defaults().backoff(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(JobControllerOptions.defaults().backoff(20)).isEqualTo(Duration.ofMinutes(10));
    }
}
