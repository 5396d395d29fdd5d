package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.List;

/** apps/v1 DaemonSet, as kube-apiserver's ValidateDaemonSet: a selector matching the template (immutable), restart policy Always, update strategy. */
public final class DaemonSetValidator implements KindValidator {
    private static final List<String> UPDATE_STRATEGIES = List.of("OnDelete", "RollingUpdate");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        PodTemplateRules.nonNegative(spec.path("minReadySeconds"), "spec.minReadySeconds", c);
        PodTemplateRules.nonNegative(spec.path("revisionHistoryLimit"), "spec.revisionHistoryLimit", c);
        PodTemplateRules.oneOf(spec.path("updateStrategy"), "type", "spec.updateStrategy.type", UPDATE_STRATEGIES, c);
        PodTemplateRules.selectorMatchingTemplate(spec, "spec", c);
        PodTemplateRules.template(spec.path("template"), "spec.template", List.of("Always"), c);
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode sel = object.path("spec").path("selector");
        if (!sel.equals(old.path("spec").path("selector"))) {
            c.immutable("spec.selector", sel);
        }
    }
}
