package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.validation.Causes;
import java.util.List;

/** What every workload kind checks of its selector and pod template, as kube-apiserver's ValidatePodTemplateSpec callers. */
final class PodTemplateRules {
    private PodTemplateRules() {
    }

    /** A required, non-empty selector that matches the template's labels. */
    static void selectorMatchingTemplate(JsonNode spec, String field, Causes c) {
        JsonNode selector = spec.path("selector");
        if (!selector.isObject()) {
            c.required(field + ".selector", null);
            return;
        }
        if (LabelSelectorJson.isEmpty(selector)) {
            c.invalid(field + ".selector", selector, "empty selector is invalid for deployment");
            return;
        }
        LabelSelectorJson.validate(selector, field + ".selector", c);
        JsonNode labels = spec.path("template").path("metadata").path("labels");
        if (!LabelSelectorJson.matches(selector, labels)) {
            c.invalid(field + ".template.metadata.labels", labels, "`selector` does not match template `labels`");
        }
    }

    /** The template's labels and pod spec, with its restart policy one of {@code restartPolicies}. */
    static void template(JsonNode template, String field, List<String> restartPolicies, Causes c) {
        ObjectMetaValidator.validateLabels(template.path("metadata").path("labels"), field + ".metadata.labels", c);
        PodValidator.validateSpec(template.path("spec"), field + ".spec", c);
        String restart = template.path("spec").path("restartPolicy").asText("");
        if (!restart.isEmpty() && !restartPolicies.contains(restart)) {
            c.notSupported(field + ".spec.restartPolicy", restart, restartPolicies);
        } else if (restart.isEmpty() && !restartPolicies.contains("Always")) {
            c.required(field + ".spec.restartPolicy", "valid values: " + quoted(restartPolicies));
        }
    }

    static void nonNegative(JsonNode v, String field, Causes c) {
        if (v.isNumber() && v.asLong() < 0) {
            c.invalid(field, v, "must be greater than or equal to 0");
        } else if (!v.isMissingNode() && !v.isNull() && !v.isNumber()) {
            c.invalid(field, v, "must be an integer");
        }
    }

    static void oneOf(JsonNode parent, String name, String field, List<String> allowed, Causes c) {
        JsonNode v = parent.get(name);
        if (v != null && !v.isNull() && !allowed.contains(v.asText())) {
            c.notSupported(field, v.asText(), allowed);
        }
    }

    private static String quoted(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            sb.append(sb.isEmpty() ? "" : ", ").append('"').append(v).append('"');
        }
        return sb.toString();
    }
}
