package io.kardia.controllers.cronjob;

import io.kardia.controllers.job.JobControllerOptions;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.ObjectMeta;
import io.kardia.core.model.ObjectReference;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's CronJob controller ({@code pkg/controller/cronjob}, v2): at each
 * scheduled time (in {@code spec.timeZone}) it creates a Job named
 * {@code <cronjob>-<scheduled time in minutes since the epoch>} from the job template; only the
 * most recent missed time is run, and not when it is more than {@code startingDeadlineSeconds}
 * late; {@code concurrencyPolicy} Allow, Forbid (skip while a Job runs) or Replace (delete the
 * running ones first); {@code suspend}; finished Jobs beyond the history limits are deleted;
 * {@code status.active}, {@code lastScheduleTime}, {@code lastSuccessfulTime}. An unparseable
 * schedule or unknown time zone gets a Warning Event and no Jobs; the controller goes on with the
 * other CronJobs.
 */
public final class CronJobController implements TypedReconciler<GenericObject> {
    private static final Logger log = LoggerFactory.getLogger(CronJobController.class);

    public static final String NAME = "cronjob-controller";
    /** The annotation on each Job with the time it was scheduled for. */
    public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    /** More missed times than this since the last run and the CronJob only warns (as Kubernetes). */
    static final int TOO_MANY_MISSED = 100;
    /** A little after the scheduled time, so the clock has surely passed it (Kubernetes adds 100 ms). */
    private static final Duration NEXT_SCHEDULE_DELTA = Duration.ofMillis(100);
    private static final Duration STALE_RETRY = Duration.ofMillis(200);

    private final ResourceClient<GenericObject> jobApi;
    private final ResourceClient<GenericObject> cronJobApi;
    private final SharedInformer<GenericObject> jobs;
    private final EventRecorder events;
    private final JobControllerOptions options;

    CronJobController(Manager manager, JobControllerOptions options) {
        this.jobApi = manager.apiClient().resources(ResourceTypes.JOB);
        this.cronJobApi = manager.apiClient().resources(ResourceTypes.CRON_JOB);
        this.jobs = manager.informers().informerFor(ResourceTypes.JOB, manager.namespace(), Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
        this.options = options;
    }

    /** Registers the controller on {@code manager} on the system clock. */
    public static void register(Manager manager) {
        register(manager, JobControllerOptions.defaults());
    }

    public static void register(Manager manager, JobControllerOptions options) {
        CronJobController c = new CronJobController(manager, options);
        manager.newController()
                .forKind(ResourceTypes.CRON_JOB)
                .named(NAME)
                .owns(ResourceTypes.JOB)
                .maxConcurrentReconciles(2)
                .complete(c);
    }

    @Override
    public Result reconcile(GenericObject cronJob) {
        Instant now = options.clock().instant();
        List<GenericObject> owned = jobs.lister().namespace(cronJob.metadata().namespace()).list().stream()
                .filter(j -> j.metadata().controllerRef().map(r -> cronJob.metadata().uid().equals(r.uid())).orElse(false))
                .toList();
        CronJobSpec spec = CronJobSpec.of(cronJob);
        CronJobStatus before = CronJobStatus.of(cronJob);
        Sync sync = new Sync(cronJob, spec, before, now);
        Optional<Duration> requeue = sync.run(owned);
        if (sync.stale) {
            return Result.requeueAfter(STALE_RETRY); // decide again once the cache has our last write
        }
        sync.cleanupFinishedJobs(owned);
        GenericObject desired = sync.status.applyTo(cronJob);
        if (StatusUpdates.statusChanged(cronJob, desired)) {
            try {
                // At the version read: a conflict means the cache lagged, and the retried sync sees more.
                cronJobApi.updateStatus(desired);
            } catch (KubeApiException.NotFoundException gone) {
                return Result.done();
            }
        }
        return requeue.map(d -> Result.requeueAfter(options.requeue(d))).orElse(Result.done());
    }

    /** One syncCronJob: the CronJob as read and the status it will have. */
    private final class Sync {
        final GenericObject cronJob;
        final CronJobSpec spec;
        CronJobStatus status;
        final Instant now;
        /** The cache lags the stored CronJob: no Job may be created on what it says. */
        boolean stale;

        Sync(GenericObject cronJob, CronJobSpec spec, CronJobStatus status, Instant now) {
            this.cronJob = cronJob;
            this.spec = spec;
            this.status = status;
            this.now = now;
        }

        /** @return when to look again, if at all */
        Optional<Duration> run(List<GenericObject> owned) {
            trackActiveJobs(owned);
            if (cronJob.metadata().deletionTimestamp() != null || spec.suspended()) {
                return Optional.empty();
            }
            ZoneId zone;
            try {
                zone = spec.timeZone() == null || spec.timeZone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(spec.timeZone());
            } catch (DateTimeException e) {
                events.warning(cronJob, "UnknownTimeZone", "invalid timeZone: \"" + spec.timeZone() + "\": " + e.getMessage());
                return Optional.empty();
            }
            CronSchedule schedule;
            try {
                schedule = CronSchedule.parse(spec.schedule(), zone);
            } catch (IllegalArgumentException e) {
                events.warning(cronJob, "UnparseableSchedule", "unparseable schedule: \"" + spec.schedule() + "\" : "
                        + e.getMessage());
                return Optional.empty();
            }
            Optional<Instant> scheduled = mostRecentMissed(schedule);
            if (scheduled.isEmpty()) {
                return nextIn(schedule);
            }
            Instant t = scheduled.get();
            if (spec.startingDeadlineSeconds() != null && t.plusSeconds(spec.startingDeadlineSeconds()).isBefore(now)) {
                events.warning(cronJob, "MissSchedule", "Missed scheduled time to start a job: "
                        + DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone)));
                return nextIn(schedule);
            }
            String jobName = jobName(cronJob.metadata().name(), t);
            if (status.active().stream().anyMatch(r -> jobName.equals(r.name())) || t.equals(status.lastScheduleTime())) {
                return nextIn(schedule); // this time was handled already
            }
            // A Job is created only on the CronJob as stored: a cache that lags our last status
            // write would run the same time twice, or a second Job under Forbid.
            if (!cronJobApi.find(cronJob.metadata().namespace(), cronJob.metadata().name())
                    .map(live -> java.util.Objects.equals(live.metadata().resourceVersion(), cronJob.metadata().resourceVersion()))
                    .orElse(false)) {
                stale = true;
                return Optional.empty();
            }
            boolean running = !status.active().isEmpty() || owned.stream().anyMatch(j -> finishedCondition(j).isEmpty());
            if ("Forbid".equals(spec.concurrencyPolicyOrDefault()) && running) {
                log.debug("CronJob {}: not starting a Job at {}: the previous one is still running (Forbid)", cronJob.key(), t);
                return nextIn(schedule);
            }
            if ("Replace".equals(spec.concurrencyPolicyOrDefault())) {
                for (ObjectReference ref : status.active()) {
                    deleteJob(ref.name(), ref.uid());
                }
                status = status.withActive(List.of());
            }
            GenericObject created;
            try {
                created = jobApi.create(jobFor(t, zone, jobName));
            } catch (KubeApiException.AlreadyExistsException exists) {
                // Ours from an earlier pass whose status write was lost: count it now; someone else's: leave it.
                Optional<GenericObject> ours = jobApi.find(cronJob.metadata().namespace(), jobName)
                        .filter(j -> j.metadata().controllerRef().map(r -> cronJob.metadata().uid().equals(r.uid()))
                                .orElse(false));
                if (ours.isEmpty()) {
                    log.info("CronJob {}: Job {} already exists and is not its own", cronJob.key(), jobName);
                    return nextIn(schedule);
                }
                created = ours.get();
            } catch (KubeApiException e) {
                events.warning(cronJob, "FailedCreate", "Error creating job: " + e.getMessage());
                throw e;
            }
            events.normal(cronJob, "SuccessfulCreate", "Created job " + jobName);
            List<ObjectReference> active = new ArrayList<>(status.active());
            active.add(ObjectReference.to(created));
            status = status.withActive(active).withLastScheduleTime(t);
            return nextIn(schedule);
        }

        /** Finished Jobs leave the active list (succeeded ones set lastSuccessfulTime); vanished ones too. */
        private void trackActiveJobs(List<GenericObject> owned) {
            List<ObjectReference> active = new ArrayList<>(status.active());
            for (GenericObject j : owned) {
                boolean listed = active.stream().anyMatch(r -> j.metadata().uid().equals(r.uid()));
                Optional<Condition> finished = finishedCondition(j);
                if (listed && finished.isPresent()) {
                    active.removeIf(r -> j.metadata().uid().equals(r.uid()));
                    events.normal(cronJob, "SawCompletedJob", "Saw completed job: " + j.metadata().name()
                            + ", condition: " + finished.get().type());
                } else if (!listed && finished.isEmpty() && !listedLive(j)) {
                    events.warning(cronJob, "UnexpectedJob", "Saw a job that the controller did not create or forgot: "
                            + j.metadata().name());
                }
                if (finished.isPresent() && "Complete".equals(finished.get().type())) {
                    Instant completed = j.at("status.completionTime", Instant.class).orElse(null);
                    if (completed != null && (status.lastSuccessfulTime() == null
                            || completed.isAfter(status.lastSuccessfulTime()))) {
                        status = status.withLastSuccessfulTime(completed);
                    }
                }
            }
            for (ObjectReference ref : List.copyOf(active)) {
                boolean cached = owned.stream().anyMatch(j -> j.metadata().uid().equals(ref.uid()));
                if (!cached && jobApi.find(cronJob.metadata().namespace(), ref.name())
                        .filter(j -> j.metadata().uid().equals(ref.uid())).isEmpty()) {
                    active.remove(ref);
                    events.normal(cronJob, "MissingJob", "Active job went missing: " + ref.name());
                }
            }
            status = status.withActive(active);
        }

        /** Whether the stored CronJob (the cache may lag our own status write) lists the Job as active. */
        private boolean listedLive(GenericObject job) {
            return cronJobApi.find(cronJob.metadata().namespace(), cronJob.metadata().name())
                    .map(CronJobStatus::of)
                    .map(s -> s.active().stream().anyMatch(r -> job.metadata().uid().equals(r.uid())))
                    .orElse(false);
        }

        /**
         * The latest scheduled time after the last one run (or the CronJob's creation, or the
         * starting deadline) that is not in the future, if any.
         */
        private Optional<Instant> mostRecentMissed(CronSchedule schedule) {
            Instant earliest = status.lastScheduleTime() != null ? status.lastScheduleTime()
                    : cronJob.metadata().creationTimestamp() != null ? cronJob.metadata().creationTimestamp() : now;
            if (spec.startingDeadlineSeconds() != null) {
                Instant deadline = now.minusSeconds(spec.startingDeadlineSeconds());
                if (deadline.isAfter(earliest)) {
                    earliest = deadline;
                }
            }
            Instant latest = null;
            int missed = 0;
            for (Optional<Instant> t = schedule.next(earliest); t.isPresent() && !t.get().isAfter(now);
                 t = schedule.next(t.get())) {
                latest = t.get();
                if (++missed > TOO_MANY_MISSED) {
                    events.warning(cronJob, "TooManyMissedTimes", "too many missed start times. Set or decrease "
                            + ".spec.startingDeadlineSeconds or check clock skew");
                    // Jump to the last one before now without walking every minute of a long outage.
                    Optional<Instant> last = lastBefore(schedule, now);
                    return last.isPresent() ? last : Optional.of(latest);
                }
            }
            return Optional.ofNullable(latest);
        }

        private Optional<Instant> lastBefore(CronSchedule schedule, Instant t) {
            for (Duration back = Duration.ofHours(1); back.compareTo(Duration.ofDays(3660)) <= 0; back = back.multipliedBy(4)) {
                Optional<Instant> candidate = Optional.empty();
                for (Optional<Instant> n = schedule.next(t.minus(back)); n.isPresent() && !n.get().isAfter(t);
                     n = schedule.next(n.get())) {
                    candidate = n;
                }
                if (candidate.isPresent()) {
                    return candidate;
                }
            }
            return Optional.empty();
        }

        private Optional<Duration> nextIn(CronSchedule schedule) {
            return schedule.next(now).map(t -> Duration.between(now, t).plus(NEXT_SCHEDULE_DELTA));
        }

        /** The Job for scheduled time {@code t}: the template's metadata and spec, the scheduled-timestamp annotation, a controller reference. */
        private GenericObject jobFor(Instant t, ZoneId zone, String name) {
            CronJobSpec.JobTemplate template = spec.jobTemplate();
            ObjectMeta tm = template == null || template.metadata() == null ? ObjectMeta.builder().build() : template.metadata();
            ObjectMeta meta = ObjectMeta.builder()
                    .namespace(cronJob.metadata().namespace())
                    .name(name)
                    .labels(tm.labels())
                    .annotations(tm.annotations())
                    .annotation(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone)))
                    .ownerReference(OwnerReference.controllerOf(cronJob))
                    .build();
            Map<String, Object> jobSpec = template == null || template.spec() == null ? Map.of() : template.spec();
            return GenericObject.of(ResourceTypes.JOB, meta).with("spec", jobSpec);
        }

        private void deleteJob(String name, String uid) {
            try {
                jobApi.delete(cronJob.metadata().namespace(), name,
                        DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Background).withPreconditions(uid, null));
                events.normal(cronJob, "SuccessfulDelete", "Deleted job " + name);
            } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                // gone already
            }
        }

        /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
        void cleanupFinishedJobs(List<GenericObject> owned) {
            if (spec.successfulJobsHistoryLimit() == null && spec.failedJobsHistoryLimit() == null) {
                return;
            }
            List<GenericObject> succeeded = new ArrayList<>();
            List<GenericObject> failed = new ArrayList<>();
            for (GenericObject j : owned) {
                finishedCondition(j).ifPresent(c -> ("Complete".equals(c.type()) ? succeeded : failed).add(j));
            }
            removeOldest(succeeded, spec.successfulJobsHistoryLimit());
            removeOldest(failed, spec.failedJobsHistoryLimit());
        }

        private void removeOldest(List<GenericObject> finished, Integer limit) {
            if (limit == null || finished.size() <= limit) {
                return;
            }
            finished.sort(Comparator.comparing(CronJobController::startedOrCreated));
            for (GenericObject j : finished.subList(0, finished.size() - limit)) {
                deleteJob(j.metadata().name(), j.metadata().uid());
            }
        }
    }

    private static Instant startedOrCreated(GenericObject job) {
        return job.at("status.startTime", Instant.class)
                .orElse(job.metadata().creationTimestamp() == null ? Instant.EPOCH : job.metadata().creationTimestamp());
    }

    /** The Job's Complete or Failed condition, when it is True. */
    static Optional<Condition> finishedCondition(GenericObject job) {
        Object conditions = job.status().get("conditions");
        if (!(conditions instanceof List<?> list)) {
            return Optional.empty();
        }
        for (Object o : list) {
            if (o instanceof Map<?, ?> m && ("Complete".equals(m.get("type")) || "Failed".equals(m.get("type")))
                    && Condition.TRUE.equals(m.get("status"))) {
                return Optional.of(Condition.of((String) m.get("type"), Condition.TRUE, null, null, null));
            }
        }
        return Optional.empty();
    }

    /** Kubernetes' name for the Job of scheduled time {@code t}: {@code <cronjob>-<minutes since the epoch>}. */
    static String jobName(String cronJobName, Instant t) {
        return cronJobName + "-" + t.truncatedTo(ChronoUnit.MINUTES).getEpochSecond() / 60;
    }
}
