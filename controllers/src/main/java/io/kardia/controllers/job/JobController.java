package io.kardia.controllers.job;

import io.kardia.controllers.workload.ControllerRefs;
import io.kardia.controllers.workload.PodExpectations;
import io.kardia.controllers.workload.PodWrites;
import io.kardia.controllers.workload.ActivePodsOrder;
import io.kardia.controllers.workload.Pods;
import io.kardia.core.client.DeleteOptions;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.client.PatchType;
import io.kardia.core.client.ResourceClient;
import io.kardia.core.model.Condition;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.OwnerReference;
import io.kardia.core.model.Pod;
import io.kardia.core.model.PodStatus;
import io.kardia.core.model.ResourceTypes;
import io.kardia.core.selector.Selector;
import io.kardia.core.selector.SelectorParseException;
import io.kardia.informer.SharedInformer;
import io.kardia.runtime.Manager;
import io.kardia.runtime.Request;
import io.kardia.runtime.Result;
import io.kardia.runtime.StatusUpdates;
import io.kardia.runtime.TerminalException;
import io.kardia.runtime.TypedReconciler;
import io.kardia.runtime.event.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's Job controller ({@code pkg/controller/job}): runs pods from the
 * template until {@code completions} succeed, at most {@code parallelism} at a time; replaces
 * failed pods after an exponential back-off until more than {@code backoffLimit} failed; fails the
 * Job past {@code activeDeadlineSeconds} or when a {@code podFailurePolicy} rule says FailJob;
 * deletes its pods while suspended; Indexed completion mode. Finished pods are counted through the
 * {@value #TRACKING_FINALIZER} finalizer and {@code status.uncountedTerminatedPods}, so no pod is
 * counted twice or lost, across restarts included. Terminal conditions come in two steps as in
 * Kubernetes 1.31+: SuccessCriteriaMet / FailureTarget first, Complete / Failed once no pod of the
 * Job is left running. A finished Job with {@code ttlSecondsAfterFinished} is deleted after it
 * (kube's separate TTL-after-finished controller).
 */
public final class JobController implements TypedReconciler<GenericObject> {
    private static final Logger log = LoggerFactory.getLogger(JobController.class);

    public static final String NAME = "job-controller";
    public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    /** Kubernetes' {@code MaxPodCreateDeletePerSync}. */
    static final int MAX_PODS_PER_SYNC = 500;
    /** Kubernetes' {@code MaxUncountedPods}. */
    static final int MAX_UNCOUNTED = 500;
    private static final String FINALIZER_REMOVAL = "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\""
            + TRACKING_FINALIZER + "\"]}}";

    private final ResourceClient<Pod> podApi;
    private final ResourceClient<GenericObject> jobApi;
    private final SharedInformer<Pod> pods;
    private final EventRecorder events;
    private final JobControllerOptions options;
    private final PodExpectations expectations;
    private final FinalizerExpectations finalizerExpectations = new FinalizerExpectations();
    private final PodBackoffs backoffs = new PodBackoffs();
    /**
     * Job key → resourceVersion of this controller's last status write. A pod's finalizer is
     * removed after the status counts it; if the pod cache shows the removal before the Job cache
     * shows that status, a sync would count the pod nowhere and create a replacement for a pod
     * that succeeded (an extra wave of pods when the caches lag, as behind a rate-limited client).
     * So a Job whose cached copy is older than our last write is read live (one GET, only while
     * the cache lags).
     */
    private final Map<String, Long> statusWritten = new ConcurrentHashMap<>();

    JobController(Manager manager, JobControllerOptions options) {
        this.podApi = manager.apiClient().resources(Pod.class);
        this.jobApi = manager.apiClient().resources(ResourceTypes.JOB);
        this.pods = manager.informers().informerFor(ResourceTypes.POD, manager.namespace(), Selector.EVERYTHING);
        this.events = manager.eventRecorder(NAME);
        this.options = options;
        this.expectations = new PodExpectations(PodExpectations.DEFAULT_TTL, options.clock());
    }

    /** Registers the controller on {@code manager} with kube-controller-manager's timings. */
    public static void register(Manager manager) {
        // The manager's clock: the system's, or a simulation's virtual one.
        register(manager, JobControllerOptions.defaults().withClock(manager.clock().wallClock(), null));
    }

    public static void register(Manager manager, JobControllerOptions options) {
        JobController c = new JobController(manager, options);
        manager.newController()
                .forKind(ResourceTypes.JOB)
                .named(NAME)
                .watches(Pod.class, JobController::jobOf)
                .maxConcurrentReconciles(4)
                .complete(c);
    }

    /** The Job controlling a pod. */
    static Collection<Request> jobOf(Pod pod) {
        Optional<OwnerReference> ref = pod.metadata().controllerRef();
        if (ref.isPresent() && "Job".equals(ref.get().kind()) && ref.get().apiVersion() != null
                && ref.get().apiVersion().startsWith("batch/")) {
            return List.of(new Request(pod.metadata().namespace(), ref.get().name()));
        }
        return List.of();
    }

    @Override
    public Result reconcileAbsent(Request request) {
        expectations.forget(request.key());
        finalizerExpectations.forget(request.key());
        statusWritten.remove(request.key());
        backoffs.forget(request.key());
        // Pods of a deleted Job must not be held by our finalizer.
        for (Pod p : pods.lister().namespace(request.namespace()).list()) {
            if (jobOf(p).contains(request) && hasFinalizer(p)) {
                removeFinalizer(p);
            }
        }
        return Result.done();
    }

    @Override
    public Result reconcile(GenericObject cached) {
        JobSpec spec = readSpec(cached);
        JobStatus status = JobStatus.of(cached);
        String key = cached.key();
        Instant now = options.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS); // API times are seconds
        if (status.finished()) {
            backoffs.forget(key);
            statusWritten.remove(key);
            return finished(cached, status, now);
        }
        if (olderThanOwnWrite(cached)) {
            Optional<GenericObject> live = jobApi.find(cached.metadata().namespace(), cached.metadata().name());
            if (live.isEmpty()) {
                return Result.done(); // deleted: reconcileAbsent follows
            }
            cached = live.get(); // one read instead of deciding on a status older than our own write
            statusWritten.remove(key);
            spec = readSpec(cached);
            status = JobStatus.of(cached);
            if (status.finished()) {
                return finished(cached, status, now);
            }
        }
        Selector selector = validSelector(cached, spec);
        String namespace = cached.metadata().namespace();
        boolean synced = expectations.satisfied(key, name -> pods.lister().namespace(namespace).get(name),
                cacheRevision());
        Sync s = new Sync(cached, spec, status, now, claimPods(cached, selector));
        s.synced = synced;
        try {
            return s.run();
        } catch (KubeApiException.NotFoundException e) {
            if (jobApi.find(cached.metadata().namespace(), cached.metadata().name()).isEmpty()) {
                return Result.done(); // deleted while we synced it
            }
            throw e;
        }
    }

    private boolean olderThanOwnWrite(GenericObject cached) {
        Long written = statusWritten.get(cached.key());
        if (written == null) {
            return false;
        }
        try {
            long seen = Long.parseLong(cached.metadata().resourceVersion());
            if (seen >= written) {
                statusWritten.remove(cached.key(), written);
                return false;
            }
            return true;
        } catch (NumberFormatException | NullPointerException opaque) {
            return false; // a server with opaque versions: no comparison to make
        }
    }

    private JobSpec readSpec(GenericObject job) {
        try {
            JobSpec spec = JobSpec.of(job);
            if (spec.template() == null || spec.template().spec() == null) {
                throw bad(job, "InvalidSpec", "spec.template is required");
            }
            return spec;
        } catch (IllegalArgumentException e) {
            throw bad(job, "InvalidSpec", "spec cannot be read: " + e.getMessage());
        }
    }

    private Selector validSelector(GenericObject job, JobSpec spec) {
        if (spec.selector() == null) {
            throw bad(job, "InvalidSelector", "spec.selector is required");
        }
        try {
            Selector s = spec.selector().toSelector();
            if (spec.selector().equals(io.kardia.core.model.LabelSelector.EMPTY)) {
                throw bad(job, "SelectingAll", "This job is selecting all pods. A non-empty selector is required.");
            }
            return s;
        } catch (SelectorParseException e) {
            throw bad(job, "InvalidSelector", "invalid spec.selector: " + e.getMessage());
        }
    }

    private TerminalException bad(GenericObject job, String reason, String message) {
        events.warning(job, reason, message);
        return new TerminalException("Job " + job.key() + ": " + message);
    }

    /** The Job's pods (terminal ones included): those it controls that its selector matches; others it controls are released. */
    private List<Pod> claimPods(GenericObject job, Selector selector) {
        List<Pod> all = pods.lister().namespace(job.metadata().namespace()).list();
        List<Pod> sameName = new ArrayList<>();
        for (Pod p : all) {
            Optional<OwnerReference> ref = p.metadata().controllerRef();
            if (ref.isPresent() && jobOf(p).contains(Request.of(job)) && !job.metadata().uid().equals(ref.get().uid())
                    && hasFinalizer(p)) {
                sameName.add(p); // a pod of an earlier Job of this name: it must not keep our finalizer
            }
        }
        sameName.forEach(this::removeFinalizer);
        // Orphans are not adopted: see docs/workload-controllers.md.
        return ControllerRefs.claim(job, selector, all, podApi, () -> false);
    }

    private long cacheRevision() {
        try {
            String rv = pods.lastSyncResourceVersion();
            return rv == null ? -1 : Long.parseLong(rv);
        } catch (NumberFormatException opaque) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ a finished Job: TTL and leftovers

    private Result finished(GenericObject job, JobStatus status, Instant now) {
        for (Pod p : pods.lister().namespace(job.metadata().namespace()).list()) {
            if (hasFinalizer(p) && jobOf(p).contains(Request.of(job))) {
                removeFinalizer(p);
            }
        }
        Integer ttl = readSpec(job).ttlSecondsAfterFinished();
        if (ttl == null || job.metadata().deletionTimestamp() != null) {
            return Result.done();
        }
        Instant finishedAt = status.conditions().stream()
                .filter(c -> (JobStatus.COMPLETE.equals(c.type()) || JobStatus.FAILED.equals(c.type())) && c.isTrue())
                .map(Condition::lastTransitionTime).filter(java.util.Objects::nonNull).findFirst().orElse(now);
        Instant expires = finishedAt.plusSeconds(ttl);
        if (now.isBefore(expires)) {
            return Result.requeueAfter(options.requeue(Duration.between(now, expires)));
        }
        try {
            // As kube's TTL-after-finished controller: Foreground, so the Job stays (deleting) until the
            // garbage collector has removed its pods, and only the version judged expired is deleted
            // (a user who raised the TTL meanwhile wins: the precondition fails and it is judged again).
            jobApi.delete(job.metadata().namespace(), job.metadata().name(),
                    DeleteOptions.propagation(DeleteOptions.PropagationPolicy.Foreground)
                            .withPreconditions(job.metadata().uid(), job.metadata().resourceVersion()));
            log.debug("Job {} deleted {}s after it finished (ttlSecondsAfterFinished)", job.key(), ttl);
        } catch (KubeApiException.NotFoundException gone) {
            // deleted already
        } catch (KubeApiException.ConflictException changed) {
            return Result.requeue(); // changed since the cache saw it, or replaced: judged again on the newer version
        }
        return Result.done();
    }

    // ------------------------------------------------------------------ one sync

    /** One syncJob: the Job as read, its pods, and what this pass decided. */
    private final class Sync {
        GenericObject job;
        final JobSpec spec;
        JobStatus status;
        final Instant now;
        final List<Pod> pods;
        final String key;
        boolean synced;
        List<Pod> active;
        int ready;
        int terminating;
        Set<String> expectedRemovals;
        Condition finishedCondition;
        Result requeue = Result.done();
        /** Pods created in this pass: active, though the cache does not show them yet. */
        int created;
        /** The back-off record with this pass's newly finished pods, stored once the status says they are counted. */
        PodBackoffs.Record backoff;

        Sync(GenericObject job, JobSpec spec, JobStatus status, Instant now, List<Pod> pods) {
            this.job = job;
            this.spec = spec;
            this.status = status;
            this.now = now;
            this.pods = pods;
            this.key = job.key();
        }

        Result run() {
            Map<String, Pod> byUid = new HashMap<>();
            pods.forEach(p -> byUid.put(p.metadata().uid(), p));
            expectedRemovals = finalizerExpectations.pending(key, byUid::get);
            active = new ArrayList<>(pods.stream().filter(Pods::isActive).toList());
            ready = (int) active.stream().filter(Pods::isReady).count();
            terminating = (int) pods.stream().filter(p -> p.metadata().deletionTimestamp() != null
                    && !PodStatus.SUCCEEDED.equals(p.phase()) && !PodStatus.FAILED.equals(p.phase())).count();

            Set<String> uncountedSucceeded = new LinkedHashSet<>(status.uncountedTerminatedPods().succeeded());
            Set<String> uncountedFailed = new LinkedHashSet<>(status.uncountedTerminatedPods().failed());
            List<Pod> newSucceeded = new ArrayList<>();
            List<Pod> newFailed = new ArrayList<>();
            Optional<String> failJobMessage = Optional.empty();
            int newFailedCounted = 0;
            for (Pod p : pods) {
                String uid = p.metadata().uid();
                if (!hasFinalizer(p) || expectedRemovals.contains(uid)) {
                    continue;
                }
                if (PodStatus.SUCCEEDED.equals(p.phase()) && !uncountedSucceeded.contains(uid)) {
                    newSucceeded.add(p);
                } else if (isFailed(p) && !uncountedFailed.contains(uid)) {
                    newFailed.add(p);
                    PodFailurePolicies.Match m = PodFailurePolicies.match(spec.podFailurePolicy(), p);
                    if (m.countsFailed()) {
                        newFailedCounted++;
                    }
                    if (failJobMessage.isEmpty() && PodStatus.FAILED.equals(p.phase())) {
                        failJobMessage = m.failJobMessage();
                    }
                }
            }
            int succeeded = status.succeededCount() + newSucceeded.size() + uncountedSucceeded.size();
            int failed = status.failedCount() + newFailedCounted + uncountedFailed.size();
            if (status.startTime() == null && !spec.suspended()) {
                status = status.withStartTime(now);
            }
            backoff = backoffs.next(key, newSucceeded.size(), newFailed.size(), lastFinish(newFailed));

            BitSet succeededIndexes = null;
            if (spec.indexed()) {
                succeededIndexes = CompletionIndexes.parse(status.completedIndexes(), completions());
                for (Pod p : pods) {
                    int ix = CompletionIndexes.of(p);
                    if (PodStatus.SUCCEEDED.equals(p.phase()) && hasFinalizer(p) && ix >= 0 && ix < completions()) {
                        succeededIndexes.set(ix);
                    }
                }
                succeeded = succeededIndexes.cardinality();
            }

            Optional<Condition> successMet = Condition.find(status.conditions(), JobStatus.SUCCESS_CRITERIA_MET)
                    .filter(Condition::isTrue);
            Optional<Condition> failureTarget = Condition.find(status.conditions(), JobStatus.FAILURE_TARGET)
                    .filter(Condition::isTrue);
            if (successMet.isPresent()) {
                finishedCondition = successMet.get();
            } else if (failureTarget.isPresent()) {
                finishedCondition = failureTarget.get();
            } else if (failJobMessage.isPresent()) {
                finishedCondition = condition(JobStatus.FAILURE_TARGET, "PodFailurePolicy", failJobMessage.get());
            } else if (failed > spec.backoffLimitOrDefault() || pastBackoffLimitOnFailure()) {
                finishedCondition = condition(JobStatus.FAILURE_TARGET, "BackoffLimitExceeded",
                        "Job has reached the specified backoff limit");
            } else if (pastActiveDeadline()) {
                finishedCondition = condition(JobStatus.FAILURE_TARGET, "DeadlineExceeded",
                        "Job was active longer than specified deadline");
            } else if (spec.activeDeadlineSeconds() != null && !spec.suspended() && status.startTime() != null) {
                Duration left = Duration.between(now, status.startTime().plusSeconds(spec.activeDeadlineSeconds()));
                requeue = Result.requeueAfter(options.requeue(left));
            }

            RuntimeException manageError = null;
            boolean suspendChanged = false;
            if (finishedCondition != null && !isSuccess(finishedCondition)) {
                int deleted = deletePods(active);
                if (deleted != active.size() || !synced) {
                    finishedCondition = null; // not everything is gone yet: decide again next time
                }
                active = active.subList(Math.min(deleted, active.size()), active.size());
            } else {
                boolean managed = false;
                if (synced && job.metadata().deletionTimestamp() == null && finishedCondition == null) {
                    try {
                        manage(succeeded, succeededIndexes);
                    } catch (RuntimeException e) {
                        manageError = e;
                    }
                    managed = true;
                }
                boolean none = active.isEmpty() && created == 0;
                boolean complete = spec.completions() == null ? succeeded > 0 && none
                        : succeeded >= spec.completions() && none;
                if (finishedCondition == null && complete) {
                    finishedCondition = condition(JobStatus.SUCCESS_CRITERIA_MET, "CompletionsReached",
                            "Reached expected number of succeeded pods");
                } else if (managed && finishedCondition == null) {
                    suspendChanged = updateSuspended();
                }
            }
            status = status.withCounts(active.size() + created, (int) active.stream().filter(Pods::isReady).count(), terminating);
            trackFinishedPods(succeededIndexes, suspendChanged);
            backoffs.put(key, backoff); // counted pods are recorded in the status now: a retry will not count them again
            if (manageError != null) {
                throw manageError;
            }
            if (requeue.kind() == Result.Kind.DONE) {
                Optional<Duration> lapse = expectations.remaining(key);
                if (lapse.isPresent()) {
                    requeue = Result.requeueAfter(lapse.get());
                }
            }
            return requeue;
        }

        private int completions() {
            return spec.completions() == null ? 0 : spec.completions();
        }

        private Condition condition(String type, String reason, String message) {
            return jobCondition(type, Condition.TRUE, reason, message, now);
        }

        private boolean isFailed(Pod p) {
            if (PodStatus.FAILED.equals(p.phase())) {
                return true;
            }
            // Terminating pods count as failed unless only Failed pods are replaced (podReplacementPolicy: Failed).
            return !spec.onlyReplaceFailedPods() && p.metadata().deletionTimestamp() != null
                    && !PodStatus.SUCCEEDED.equals(p.phase());
        }

        private Instant lastFinish(List<Pod> failedPods) {
            Instant last = null;
            for (Pod p : failedPods) {
                Instant t = finishedAt(p).orElse(now);
                last = last == null || t.isAfter(last) ? t : last;
            }
            return last == null ? now : last;
        }

        /** With restartPolicy OnFailure, failures are container restarts: their sum over active pods. */
        private boolean pastBackoffLimitOnFailure() {
            if (!"OnFailure".equals(spec.restartPolicy())) {
                return false;
            }
            int restarts = 0;
            for (Pod p : active) {
                if (p.status() == null) {
                    continue;
                }
                for (ContainerStatus cs : p.status().initContainerStatuses()) {
                    restarts += cs.restartCount() == null ? 0 : cs.restartCount();
                }
                for (ContainerStatus cs : p.status().containerStatuses()) {
                    restarts += cs.restartCount() == null ? 0 : cs.restartCount();
                }
            }
            int limit = spec.backoffLimitOrDefault();
            return limit == 0 ? restarts > 0 : restarts >= limit;
        }

        private boolean pastActiveDeadline() {
            if (spec.activeDeadlineSeconds() == null || status.startTime() == null || spec.suspended()) {
                return false;
            }
            return !now.isBefore(status.startTime().plusSeconds(spec.activeDeadlineSeconds()));
        }

        /** kube's {@code manageJob}: create or delete pods towards the wanted number of active ones. */
        private void manage(int succeeded, BitSet succeededIndexes) {
            if (spec.suspended()) {
                active = new ArrayList<>(active.subList(deletePods(active), active.size()));
                return;
            }
            int parallelism = spec.parallelismOrDefault();
            int wantActive;
            if (spec.completions() == null) {
                wantActive = succeeded > 0 ? active.size() : parallelism;
            } else {
                wantActive = Math.max(0, Math.min(spec.completions() - succeeded, parallelism));
            }
            List<Pod> excess = new ArrayList<>();
            if (spec.indexed()) {
                excess.addAll(invalidOrDuplicateIndexes(succeededIndexes));
            }
            List<Pod> remaining = new ArrayList<>(active);
            remaining.removeAll(excess);
            if (remaining.size() > wantActive) {
                List<Pod> sorted = new ArrayList<>(remaining);
                sorted.sort(ActivePodsOrder.rankedByColocation(remaining));
                excess.addAll(sorted.subList(0, remaining.size() - wantActive));
            }
            if (!excess.isEmpty()) {
                List<Pod> victims = excess.subList(0, Math.min(excess.size(), MAX_PODS_PER_SYNC));
                int deleted = deletePods(victims);
                active.removeAll(victims.subList(0, deleted));
                return;
            }
            int diff = wantActive - active.size();
            if (diff <= 0) {
                return;
            }
            if (backoff.failuresAfterLastSuccess() > 0) {
                Duration left = Duration.between(now, backoff.lastFailure().plus(options.backoff(backoff.failuresAfterLastSuccess())));
                if (left.isPositive()) {
                    requeue = Result.requeueAfter(options.requeue(left));
                    return;
                }
            }
            List<Integer> indexes = spec.indexed() ? pendingIndexes(succeededIndexes, Math.min(diff, MAX_PODS_PER_SYNC))
                    : null;
            int toCreate = indexes != null ? indexes.size() : Math.min(diff, MAX_PODS_PER_SYNC);
            AtomicInteger next = new AtomicInteger();
            AtomicReference<RuntimeException> error = new AtomicReference<>();
            int created = PodWrites.slowStartBatch(toCreate, 1, () -> {
                Integer ix = indexes == null ? null : indexes.get(next.getAndIncrement());
                try {
                    Pod pod = podApi.create(JobPodTemplates.podFor(job, spec, ix));
                    expectations.created(key, pod.metadata().name(), PodWrites.revisionOf(pod));
                    return true;
                } catch (RuntimeException e) {
                    error.set(e);
                    return false;
                }
            });
            this.created += created; // active from now on, before the cache shows them
            if (created < toCreate && error.get() != null) {
                events.warning(job, "FailedCreate", "Error creating: " + error.get().getMessage());
                throw error.get();
            }
            if (created > 0) {
                log.debug("Job {}: created {} pods", key, created);
            }
        }

        /** Active pods of an Indexed Job with no valid index, an index out of range or already succeeded, or a second pod of an index. */
        private List<Pod> invalidOrDuplicateIndexes(BitSet succeededIndexes) {
            List<Pod> out = new ArrayList<>();
            Set<Integer> seen = new java.util.HashSet<>();
            for (Pod p : active) {
                int ix = CompletionIndexes.of(p);
                if (ix < 0 || ix >= completions() || succeededIndexes.get(ix) || !seen.add(ix)) {
                    out.add(p);
                }
            }
            return out;
        }

        /** The lowest indexes neither succeeded nor running, at most {@code count}. */
        private List<Integer> pendingIndexes(BitSet succeededIndexes, int count) {
            BitSet taken = (BitSet) succeededIndexes.clone();
            for (Pod p : active) {
                int ix = CompletionIndexes.of(p);
                if (ix >= 0) {
                    taken.set(ix);
                }
            }
            List<Integer> out = new ArrayList<>();
            for (int i = taken.nextClearBit(0); i < completions() && out.size() < count; i = taken.nextClearBit(i + 1)) {
                out.add(i);
            }
            return out;
        }

        private boolean updateSuspended() {
            Optional<Condition> current = Condition.find(status.conditions(), JobStatus.SUSPENDED);
            if (spec.suspended()) {
                if (current.isPresent() && current.get().isTrue()) {
                    return false;
                }
                status = status.withConditions(Condition.set(status.conditions(),
                        condition(JobStatus.SUSPENDED, "JobSuspended", "Job suspended"), now));
                events.normal(job, "Suspended", "Job suspended");
                return true;
            }
            if (current.isEmpty() || !current.get().isTrue()) {
                return false;
            }
            status = status.withConditions(Condition.set(status.conditions(),
                    jobCondition(JobStatus.SUSPENDED, Condition.FALSE, "JobResumed", "Job resumed", now), now))
                    .withStartTime(now);
            events.normal(job, "Resumed", "Job resumed");
            return true;
        }

        /**
         * kube's {@code trackJobStatusAndRemoveFinalizers}: record newly finished pods in
         * uncountedTerminatedPods, remove their finalizers, move them to the counters; then the
         * terminal condition once nothing is uncounted or terminating.
         */
        private void trackFinishedPods(BitSet succeededIndexes, boolean needsFlush) {
            boolean flush = needsFlush || countsChanged();
            Set<String> withFinalizer = new LinkedHashSet<>();
            for (Pod p : pods) {
                if (hasFinalizer(p) && !expectedRemovals.contains(p.metadata().uid())) {
                    withFinalizer.add(p.metadata().uid());
                }
            }
            List<String> uncountedSucceeded = new ArrayList<>(status.uncountedTerminatedPods().succeeded());
            List<String> uncountedFailed = new ArrayList<>(status.uncountedTerminatedPods().failed());
            flush |= fold(uncountedSucceeded, uncountedFailed, withFinalizer);

            boolean jobEnding = job.metadata().deletionTimestamp() != null
                    || (finishedCondition != null && !isSuccess(finishedCondition));
            List<Pod> release = new ArrayList<>();
            boolean capped = false;
            for (Pod p : pods) {
                String uid = p.metadata().uid();
                if (!hasFinalizer(p) || expectedRemovals.contains(uid)) {
                    continue;
                }
                boolean failed = isFailed(p);
                boolean succeededPod = PodStatus.SUCCEEDED.equals(p.phase());
                if (!(jobEnding || finishedCondition != null || succeededPod || failed)) {
                    continue;
                }
                release.add(p);
                int ix = CompletionIndexes.of(p);
                if (succeededPod && !uncountedFailed.contains(uid)) {
                    if (!spec.indexed() && !uncountedSucceeded.contains(uid)) {
                        uncountedSucceeded.add(uid);
                        flush = true;
                    }
                } else if ((failed || jobEnding) && !uncountedFailed.contains(uid)
                        && (!spec.indexed() || (ix >= 0 && ix < completions()))
                        && PodFailurePolicies.match(spec.podFailurePolicy(), p).countsFailed()) {
                    uncountedFailed.add(uid);
                    flush = true;
                }
                if (uncountedSucceeded.size() + uncountedFailed.size() >= MAX_UNCOUNTED) {
                    capped = true;
                    break;
                }
            }
            String completedIndexes = succeededIndexes == null ? status.completedIndexes()
                    : CompletionIndexes.format(succeededIndexes);
            int succeededCount = succeededIndexes == null ? status.succeededCount() : succeededIndexes.cardinality();
            if (succeededIndexes != null && !java.util.Objects.equals(completedIndexes, status.completedIndexes())) {
                flush = true;
            }
            status = status.withFinished(succeededCount, status.failedCount(), completedIndexes,
                    new JobStatus.Uncounted(uncountedSucceeded, uncountedFailed));
            Condition finalCondition = null;
            if (finishedCondition != null) {
                String interim = isSuccess(finishedCondition) ? JobStatus.SUCCESS_CRITERIA_MET : JobStatus.FAILURE_TARGET;
                if (!status.has(interim)) {
                    status = status.withConditions(Condition.set(status.conditions(), finishedCondition, now));
                    flush = true;
                }
                finalCondition = jobCondition(isSuccess(finishedCondition) ? JobStatus.COMPLETE : JobStatus.FAILED,
                        Condition.TRUE, finishedCondition.reason(), finishedCondition.message(), now);
            }
            if (flush) {
                writeStatus();
            }
            // Then the finalizers, then the counters (a crash in between leaves the uids in the status: nothing is lost).
            // In parallel, as kube's removeTrackingFinalizerFromPods: one at a time, a wave of finished
            // pods waits on the request latency (and the client's rate limit) of each patch in turn.
            AtomicReference<RuntimeException> removalFailure = new AtomicReference<>();
            Set<String> removed = ConcurrentHashMap.newKeySet();
            try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Pod p : release) {
                    exec.submit(() -> {
                        try {
                            if (removeFinalizer(p)) {
                                finalizerExpectations.expectRemoved(key, p.metadata().uid());
                            }
                            removed.add(p.metadata().uid());
                        } catch (RuntimeException e) {
                            removalFailure.compareAndSet(null, e);
                        }
                    });
                }
            }
            withFinalizer.removeAll(removed);
            RuntimeException removalError = removalFailure.get();
            boolean folded = fold(uncountedSucceeded, uncountedFailed, withFinalizer);
            status = status.withFinished(status.succeededCount(), status.failedCount(), status.completedIndexes(),
                    new JobStatus.Uncounted(uncountedSucceeded, uncountedFailed));
            boolean finishing = false;
            if (finalCondition != null && !capped && uncountedSucceeded.isEmpty() && uncountedFailed.isEmpty()
                    && terminating == 0) {
                status = status.withConditions(Condition.set(status.conditions(), finalCondition, now));
                if (JobStatus.COMPLETE.equals(finalCondition.type())) {
                    status = status.withCompletionTime(now);
                }
                finishing = true;
            }
            if (folded || finishing) {
                writeStatus();
            }
            if (finishing) {
                if (JobStatus.COMPLETE.equals(finalCondition.type())) {
                    events.normal(job, "Completed", "Job completed");
                } else {
                    events.warning(job, finalCondition.reason(), finalCondition.message());
                }
            }
            if (removalError != null) {
                throw removalError;
            }
        }

        /** Moves uids whose pod has lost its finalizer (or is gone) from the uncounted lists to the counters. */
        private boolean fold(List<String> uncountedSucceeded, List<String> uncountedFailed, Set<String> withFinalizer) {
            int s = 0;
            int f = 0;
            for (var it = uncountedSucceeded.iterator(); it.hasNext(); ) {
                if (!withFinalizer.contains(it.next())) {
                    it.remove();
                    s++;
                }
            }
            for (var it = uncountedFailed.iterator(); it.hasNext(); ) {
                if (!withFinalizer.contains(it.next())) {
                    it.remove();
                    f++;
                }
            }
            if (s == 0 && f == 0) {
                return false;
            }
            int succeeded = spec.indexed() ? status.succeededCount() : status.succeededCount() + s;
            status = status.withFinished(succeeded, status.failedCount() + f, status.completedIndexes(),
                    new JobStatus.Uncounted(uncountedSucceeded, uncountedFailed));
            return true;
        }

        private boolean countsChanged() {
            JobStatus before = JobStatus.of(job);
            return before.activeCount() != status.activeCount()
                    || !java.util.Objects.equals(before.ready(), status.ready())
                    || !java.util.Objects.equals(before.terminating(), status.terminating())
                    || !java.util.Objects.equals(before.startTime(), status.startTime());
        }

        private void writeStatus() {
            GenericObject desired = status.applyTo(job);
            if (!StatusUpdates.statusChanged(job, desired)) {
                return;
            }
            job = jobApi.updateStatus(desired);
            status = JobStatus.of(job);
            try {
                statusWritten.put(key, Long.parseLong(job.metadata().resourceVersion()));
            } catch (NumberFormatException | NullPointerException opaque) {
                // not comparable: no stale-cache guard for this server
            }
        }

        /** Removes the finalizer, then deletes: pods the controller deletes are not counted as failed. */
        private int deletePods(List<Pod> victims) {
            if (victims.isEmpty()) {
                return 0;
            }
            for (Pod p : victims) {
                expectations.deleted(key, p.metadata().name(), p.metadata().uid());
            }
            AtomicInteger deleted = new AtomicInteger();
            AtomicReference<RuntimeException> failure = new AtomicReference<>();
            try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Pod p : victims) {
                    exec.submit(() -> {
                        try {
                            if (hasFinalizer(p)) {
                                removeFinalizer(p);
                            }
                            podApi.delete(p.metadata().namespace(), p.metadata().name(),
                                    DeleteOptions.DEFAULT.withPreconditions(p.metadata().uid(), null));
                            deleted.incrementAndGet();
                        } catch (KubeApiException.NotFoundException | KubeApiException.ConflictException gone) {
                            deleted.incrementAndGet();
                        } catch (RuntimeException e) {
                            expectations.deleteFailed(key, p.metadata().name()); // it stays: do not wait to see it go
                            failure.set(e);
                        }
                    });
                }
            }
            if (failure.get() != null) {
                events.warning(job, "FailedDelete", "Error deleting: " + failure.get().getMessage());
            }
            return deleted.get();
        }
    }

    /** A JobCondition: lastProbeTime and lastTransitionTime both {@code now}. */
    static Condition jobCondition(String type, String status, String reason, String message, Instant now) {
        return new Condition(type, status, null, null, now, null, now, reason, message, null);
    }

    private static boolean isSuccess(Condition c) {
        return JobStatus.SUCCESS_CRITERIA_MET.equals(c.type()) || JobStatus.COMPLETE.equals(c.type());
    }

    private static Optional<Instant> finishedAt(Pod p) {
        if (p.status() == null) {
            return Optional.empty();
        }
        Instant last = null;
        for (ContainerStatus cs : p.status().containerStatuses()) {
            if (cs.state() != null && cs.state().terminated() != null && cs.state().terminated().finishedAt() != null) {
                Instant t = cs.state().terminated().finishedAt();
                last = last == null || t.isAfter(last) ? t : last;
            }
        }
        return Optional.ofNullable(last);
    }

    static boolean hasFinalizer(Pod p) {
        return p.metadata().finalizers().contains(TRACKING_FINALIZER);
    }

    /** Removes the tracking finalizer; true if the pod still existed. */
    private boolean removeFinalizer(Pod p) {
        try {
            podApi.patch(p.metadata().namespace(), p.metadata().name(), PatchType.STRATEGIC, FINALIZER_REMOVAL);
            return true;
        } catch (KubeApiException.NotFoundException gone) {
            return false;
        }
    }
}
