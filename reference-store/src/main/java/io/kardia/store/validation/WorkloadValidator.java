package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** apps/v1 Deployment and ReplicaSet: replicas, selector (required, matching, immutable), template, strategy. */
public final class WorkloadValidator implements KindValidator {
    private static final Pattern PERCENT = Pattern.compile("^([0-9]+)%$");
    private static final List<String> STRATEGIES = List.of("Recreate", "RollingUpdate");
    private final boolean deployment;

    private WorkloadValidator(boolean deployment) {
        this.deployment = deployment;
    }

    public static WorkloadValidator deployments() {
        return new WorkloadValidator(true);
    }

    public static WorkloadValidator replicaSets() {
        return new WorkloadValidator(false);
    }

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        nonNegative(spec.path("replicas"), "spec.replicas", c);
        nonNegative(spec.path("minReadySeconds"), "spec.minReadySeconds", c);
        JsonNode selector = spec.path("selector");
        if (!selector.isObject()) {
            c.required("spec.selector", null);
        } else if (LabelSelectorJson.isEmpty(selector)) {
            c.invalid("spec.selector", selector, "empty selector is invalid for deployment");
        } else {
            LabelSelectorJson.validate(selector, "spec.selector", c);
            JsonNode labels = spec.path("template").path("metadata").path("labels");
            if (!LabelSelectorJson.matches(selector, labels)) {
                c.invalid("spec.template.metadata.labels", labels, "`selector` does not match template `labels`");
            }
        }
        JsonNode template = spec.path("template");
        ObjectMetaValidator.validateLabels(template.path("metadata").path("labels"), "spec.template.metadata.labels", c);
        PodValidator.validateSpec(template.path("spec"), "spec.template.spec", c);
        String restart = template.path("spec").path("restartPolicy").asText("");
        if (!restart.isEmpty() && !restart.equals("Always")) {
            c.notSupported("spec.template.spec.restartPolicy", restart, List.of("Always"));
        }
        if (deployment) {
            validateDeploymentSpec(spec, c);
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode sel = object.path("spec").path("selector");
        if (!sel.equals(old.path("spec").path("selector"))) {
            c.immutable("spec.selector", sel);
        }
    }

    private static void validateDeploymentSpec(JsonNode spec, Causes c) {
        nonNegative(spec.path("revisionHistoryLimit"), "spec.revisionHistoryLimit", c);
        JsonNode pds = spec.path("progressDeadlineSeconds");
        if (pds.isNumber()) {
            if (pds.asLong() <= 0) {
                c.invalid("spec.progressDeadlineSeconds", pds, "must be greater than 0");
            } else if (pds.asLong() <= spec.path("minReadySeconds").asLong(0)) {
                c.invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds");
            }
        }
        JsonNode strategy = spec.path("strategy");
        String type = strategy.path("type").asText("");
        if (!type.isEmpty() && !STRATEGIES.contains(type)) {
            c.notSupported("spec.strategy.type", type, STRATEGIES);
        }
        JsonNode ru = strategy.path("rollingUpdate");
        if (type.equals("Recreate") && ru.isObject()) {
            c.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
            return;
        }
        if (ru.isObject()) {
            String f = "spec.strategy.rollingUpdate";
            Integer surge = intOrPercent(ru.path("maxSurge"), f + ".maxSurge", c);
            Integer unavailable = intOrPercent(ru.path("maxUnavailable"), f + ".maxUnavailable", c);
            if (unavailable != null && ru.path("maxUnavailable").isTextual() && unavailable > 100) {
                c.invalid(f + ".maxUnavailable", ru.path("maxUnavailable"), "must not be greater than 100%");
            }
            if (surge != null && unavailable != null && surge == 0 && unavailable == 0
                    && ru.has("maxSurge") && ru.has("maxUnavailable")) {
                c.invalid(f + ".maxUnavailable", ru.path("maxUnavailable"), "may not be 0 when `maxSurge` is 0");
            }
        }
    }

    /** The int or percentage value (null when absent or invalid, with a cause recorded for invalid). */
    private static Integer intOrPercent(JsonNode v, String field, Causes c) {
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        if (v.isInt() || v.isLong()) {
            if (v.asLong() < 0) {
                c.invalid(field, v, "must be greater than or equal to 0");
                return null;
            }
            return v.asInt();
        }
        if (v.isTextual()) {
            Matcher m = PERCENT.matcher(v.asText());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        c.invalid(field, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        return null;
    }

    private static void nonNegative(JsonNode v, String field, Causes c) {
        if (v.isNumber() && v.asLong() < 0) {
            c.invalid(field, v, "must be greater than or equal to 0");
        } else if (!v.isMissingNode() && !v.isNull() && !v.isNumber()) {
            c.invalid(field, v, "must be an integer");
        }
    }
}
