package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;

/**
 * batch/v1 Job, as kube-apiserver's ValidateJob and ValidateJobUpdate: counts not negative, a
 * selector matching the template (generated with the job's uid unless {@code manualSelector}),
 * restart policy OnFailure or Never, completion mode; on update the selector, the pod template,
 * completions and completion mode are immutable.
 */
public final class JobValidator implements KindValidator {
    static final List<String> RESTART_POLICIES = List.of("OnFailure", "Never");
    private static final List<String> COMPLETION_MODES = List.of("NonIndexed", "Indexed");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        validateSpec(object.path("spec"), "spec", c);
    }

    static void validateSpec(JsonNode spec, String field, Causes c) {
        PodTemplateRules.nonNegative(spec.path("parallelism"), field + ".parallelism", c);
        PodTemplateRules.nonNegative(spec.path("completions"), field + ".completions", c);
        PodTemplateRules.nonNegative(spec.path("backoffLimit"), field + ".backoffLimit", c);
        JsonNode deadline = spec.path("activeDeadlineSeconds");
        if (deadline.isNumber() && deadline.asLong() <= 0) {
            c.invalid(field + ".activeDeadlineSeconds", deadline, "must be greater than 0");
        }
        PodTemplateRules.oneOf(spec, "completionMode", field + ".completionMode", COMPLETION_MODES, c);
        if ("Indexed".equals(spec.path("completionMode").asText()) && !spec.path("completions").isNumber()) {
            c.required(field + ".completions", "when completion mode is Indexed");
        }
        if (spec.has("selector") || field.equals("spec")) {
            PodTemplateRules.selectorMatchingTemplate(spec, field, c);
        }
        PodTemplateRules.template(spec.path("template"), field + ".template", RESTART_POLICIES, c);
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode spec = object.path("spec");
        JsonNode oldSpec = old.path("spec");
        for (String immutable : List.of("selector", "template", "completionMode")) {
            if (!spec.path(immutable).equals(oldSpec.path(immutable))) {
                c.immutable("spec." + immutable, spec.path(immutable));
            }
        }
        if (!spec.path("completions").equals(oldSpec.path("completions"))
                && !"Indexed".equals(spec.path("completionMode").asText())) {
            c.immutable("spec.completions", spec.path("completions"));
        }
    }
}
