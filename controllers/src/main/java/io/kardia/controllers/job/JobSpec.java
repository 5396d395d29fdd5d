package io.kardia.controllers.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.kardia.core.json.Json;
import io.kardia.core.model.GenericObject;
import io.kardia.core.model.LabelSelector;
import io.kardia.core.model.PodTemplateSpec;
import java.util.List;

/**
 * The part of a batch/v1 Job's spec the Job controller reads (the object itself stays a
 * {@link GenericObject}, so nothing it does not know is lost). Defaults as kube-apiserver sets them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record JobSpec(Integer parallelism, Integer completions, Integer backoffLimit, Long activeDeadlineSeconds,
               Integer ttlSecondsAfterFinished, Boolean suspend, String completionMode, LabelSelector selector,
               PodTemplateSpec template, PodFailurePolicy podFailurePolicy, String podReplacementPolicy) {

    static final String INDEXED = "Indexed";

    static JobSpec of(GenericObject job) {
        return Json.mapper().convertValue(job.spec(), JobSpec.class);
    }

    int parallelismOrDefault() {
        return parallelism == null ? 1 : parallelism;
    }

    int backoffLimitOrDefault() {
        return backoffLimit == null ? 6 : backoffLimit;
    }

    boolean suspended() {
        return Boolean.TRUE.equals(suspend);
    }

    boolean indexed() {
        return INDEXED.equals(completionMode);
    }

    /** {@code podReplacementPolicy: Failed}, implied by a pod failure policy: terminating pods are not failures yet. */
    boolean onlyReplaceFailedPods() {
        return "Failed".equals(podReplacementPolicy) || podFailurePolicy != null;
    }

    String restartPolicy() {
        return template == null || template.spec() == null ? null : template.spec().restartPolicy();
    }

    /** spec.podFailurePolicy: rules checked in order against a failed pod. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PodFailurePolicy(List<Rule> rules) {
        PodFailurePolicy {
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    /** One rule: an action (FailJob, Ignore, Count, FailIndex) when the exit codes or the pod conditions match. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rule(String action, OnExitCodes onExitCodes, List<OnPodCondition> onPodConditions) {
        Rule {
            onPodConditions = onPodConditions == null ? List.of() : List.copyOf(onPodConditions);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OnExitCodes(String containerName, String operator, List<Integer> values) {
        OnExitCodes {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OnPodCondition(String type, String status) {
    }
}
