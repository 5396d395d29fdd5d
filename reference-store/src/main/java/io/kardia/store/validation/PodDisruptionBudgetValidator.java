package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;
import java.util.regex.Pattern;

/**
 * policy/v1 PodDisruptionBudget, as kube-apiserver's ValidatePodDisruptionBudget: minAvailable or
 * maxUnavailable (not both), each a non-negative number or a percentage of at most 100%, a valid
 * selector, the unhealthy pod eviction policy.
 */
public final class PodDisruptionBudgetValidator implements KindValidator {
    private static final Pattern PERCENT = Pattern.compile("^([0-9]+)%$");
    private static final List<String> EVICTION_POLICIES = List.of("AlwaysAllow", "IfHealthyBudget");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        boolean min = spec.hasNonNull("minAvailable");
        boolean max = spec.hasNonNull("maxUnavailable");
        if (min && max) {
            c.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set");
        }
        intOrPercent(spec.path("minAvailable"), "spec.minAvailable", c);
        intOrPercent(spec.path("maxUnavailable"), "spec.maxUnavailable", c);
        if (spec.path("selector").isObject()) {
            LabelSelectorJson.validate(spec.path("selector"), "spec.selector", c);
        }
        PodTemplateRules.oneOf(spec, "unhealthyPodEvictionPolicy", "spec.unhealthyPodEvictionPolicy", EVICTION_POLICIES, c);
    }

    private static void intOrPercent(JsonNode v, String field, Causes c) {
        if (v.isMissingNode() || v.isNull()) {
            return;
        }
        if (v.isNumber()) {
            if (v.asLong() < 0) {
                c.invalid(field, v, "must be greater than or equal to 0");
            }
            return;
        }
        var m = PERCENT.matcher(v.asText(""));
        if (!m.matches()) {
            c.invalid(field, v, "a valid percent string must be a numeric string followed by an ending '%' "
                    + "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
        } else if (Integer.parseInt(m.group(1)) > 100) {
            c.invalid(field, v, "must not be greater than 100%");
        }
    }
}
