package io.kardia.controllers.job;

import io.kardia.core.model.Condition;
import io.kardia.core.model.ContainerStatus;
import io.kardia.core.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Matches a failed pod against a Job's {@code podFailurePolicy} as kube-controller-manager does:
 * the first rule that matches decides; an exit-code rule looks at terminated containers with a
 * non-zero exit code (init containers first), a condition rule at the pod's conditions (status
 * True unless the rule says otherwise). No rule matching means {@code Count}.
 */
final class PodFailurePolicies {
    static final String FAIL_JOB = "FailJob";
    static final String IGNORE = "Ignore";
    static final String COUNT = "Count";

    /**
     * The outcome for one failed pod.
     *
     * @param action       the matching rule's action, empty when none matched
     * @param countsFailed whether the failure counts towards backoffLimit
     * @param failJobMessage the Job's failure message when the action is FailJob
     */
    record Match(Optional<String> action, boolean countsFailed, Optional<String> failJobMessage) {
        static final Match NONE = new Match(Optional.empty(), true, Optional.empty());
    }

    private PodFailurePolicies() {
    }

    static Match match(JobSpec.PodFailurePolicy policy, Pod pod) {
        if (policy == null) {
            return Match.NONE;
        }
        List<JobSpec.Rule> rules = policy.rules();
        for (int i = 0; i < rules.size(); i++) {
            JobSpec.Rule rule = rules.get(i);
            String action = rule.action();
            if (rule.onExitCodes() != null) {
                Optional<ContainerStatus> c = matchingContainer(pod, rule.onExitCodes());
                if (c.isPresent()) {
                    String message = "Container " + c.get().name() + " for pod " + pod.key() + " failed with exit code "
                            + c.get().state().terminated().exitCode() + " matching " + action + " rule at index " + i;
                    return outcome(action, message);
                }
            }
            for (JobSpec.OnPodCondition pattern : rule.onPodConditions()) {
                String wanted = pattern.status() == null ? Condition.TRUE : pattern.status();
                Optional<Condition> cond = pod.status() == null ? Optional.empty()
                        : Condition.find(pod.status().conditions(), pattern.type());
                if (cond.isPresent() && wanted.equals(cond.get().status())) {
                    String message = "Pod " + pod.key() + " has condition " + pattern.type() + " matching " + action
                            + " rule at index " + i;
                    return outcome(action, message);
                }
            }
        }
        return Match.NONE;
    }

    private static Match outcome(String action, String message) {
        return switch (action) {
            case FAIL_JOB -> new Match(Optional.of(action), true, Optional.of(message));
            case IGNORE -> new Match(Optional.of(action), false, Optional.empty());
            default -> new Match(Optional.of(action), true, Optional.empty());
        };
    }

    private static Optional<ContainerStatus> matchingContainer(Pod pod, JobSpec.OnExitCodes req) {
        if (pod.status() == null) {
            return Optional.empty();
        }
        List<ContainerStatus> all = new ArrayList<>(pod.status().initContainerStatuses());
        all.addAll(pod.status().containerStatuses());
        for (ContainerStatus cs : all) {
            if (cs.state() == null || cs.state().terminated() == null || cs.state().terminated().exitCode() == null) {
                continue;
            }
            int code = cs.state().terminated().exitCode();
            if (code == 0 || (req.containerName() != null && !req.containerName().equals(cs.name()))) {
                continue;
            }
            boolean in = req.values().contains(code);
            if ("NotIn".equals(req.operator()) != in) {
                return Optional.of(cs);
            }
        }
        return Optional.empty();
    }
}
