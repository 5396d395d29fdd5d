package io.kardia.controllers.job;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.kardia.core.json.Json;
import io.kardia.core.model.Condition;
import io.kardia.core.model.FieldTrees;
import io.kardia.core.model.GenericObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * batch/v1 JobStatus as the controller writes it; fields it does not know are kept in {@link #extra()}.
 * Immutable: the withers return changed copies.
 */
record JobStatus(List<Condition> conditions, Instant startTime, Instant completionTime, Integer active,
                 Integer succeeded, Integer failed, Integer terminating, Integer ready, String completedIndexes,
                 Uncounted uncountedTerminatedPods,
                 @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String SUSPENDED = "Suspended";

    JobStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        uncountedTerminatedPods = uncountedTerminatedPods == null ? Uncounted.NONE : uncountedTerminatedPods;
        extra = extra == null ? Map.of() : new LinkedHashMap<>(extra);
    }

    /** .status.uncountedTerminatedPods: finished pods whose tracking finalizer is not removed yet. */
    record Uncounted(List<String> succeeded, List<String> failed) {
        static final Uncounted NONE = new Uncounted(List.of(), List.of());

        Uncounted {
            succeeded = succeeded == null ? List.of() : List.copyOf(succeeded);
            failed = failed == null ? List.of() : List.copyOf(failed);
        }

        boolean isEmpty() {
            return succeeded.isEmpty() && failed.isEmpty();
        }
    }

    static JobStatus of(GenericObject job) {
        return Json.mapper().convertValue(job.status(), JobStatus.class);
    }

    GenericObject applyTo(GenericObject job) {
        return job.with("status", FieldTrees.toTree(this));
    }

    int activeCount() {
        return n(active);
    }

    int succeededCount() {
        return n(succeeded);
    }

    int failedCount() {
        return n(failed);
    }

    boolean has(String conditionType) {
        return Condition.isTrue(conditions, conditionType);
    }

    /** Complete or Failed: the controller leaves the Job alone but for its TTL. */
    boolean finished() {
        return has(COMPLETE) || has(FAILED);
    }

    JobStatus withConditions(List<Condition> c) {
        return new JobStatus(c, startTime, completionTime, active, succeeded, failed, terminating, ready,
                completedIndexes, uncountedTerminatedPods, extra);
    }

    JobStatus withStartTime(Instant t) {
        return new JobStatus(conditions, t, completionTime, active, succeeded, failed, terminating, ready,
                completedIndexes, uncountedTerminatedPods, extra);
    }

    JobStatus withCompletionTime(Instant t) {
        return new JobStatus(conditions, startTime, t, active, succeeded, failed, terminating, ready,
                completedIndexes, uncountedTerminatedPods, extra);
    }

    JobStatus withCounts(int newActive, int newReady, int newTerminating) {
        return new JobStatus(conditions, startTime, completionTime, newActive, succeeded, failed, newTerminating,
                newReady, completedIndexes, uncountedTerminatedPods, extra);
    }

    JobStatus withFinished(int newSucceeded, int newFailed, String newCompletedIndexes, Uncounted uncounted) {
        return new JobStatus(conditions, startTime, completionTime, active, newSucceeded, newFailed, terminating, ready,
                newCompletedIndexes, uncounted, extra);
    }

    private static int n(Integer v) {
        return v == null ? 0 : v;
    }
}
