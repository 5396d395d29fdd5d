package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * apps/v1 StatefulSet, as kube-apiserver's ValidateStatefulSet and ValidateStatefulSetUpdate:
 * replicas, a selector matching the template, restart policy Always, pod management and update
 * strategy; on update only replicas, ordinals, template, updateStrategy,
 * persistentVolumeClaimRetentionPolicy and minReadySeconds may change (so the selector,
 * serviceName and volumeClaimTemplates are immutable), in kube-apiserver's words.
 */
public final class StatefulSetValidator implements KindValidator {
    private static final List<String> POD_MANAGEMENT = List.of("OrderedReady", "Parallel");
    private static final List<String> UPDATE_STRATEGIES = List.of("OnDelete", "RollingUpdate");
    private static final List<String> RETENTION = List.of("Delete", "Retain");
    private static final Set<String> MUTABLE = Set.of("replicas", "ordinals", "template", "updateStrategy",
            "persistentVolumeClaimRetentionPolicy", "minReadySeconds");
    static final String FORBIDDEN_UPDATE = "updates to statefulset spec for fields other than 'replicas', 'ordinals', "
            + "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        JsonNode spec = object.path("spec");
        PodTemplateRules.nonNegative(spec.path("replicas"), "spec.replicas", c);
        PodTemplateRules.nonNegative(spec.path("minReadySeconds"), "spec.minReadySeconds", c);
        PodTemplateRules.nonNegative(spec.path("revisionHistoryLimit"), "spec.revisionHistoryLimit", c);
        PodTemplateRules.oneOf(spec, "podManagementPolicy", "spec.podManagementPolicy", POD_MANAGEMENT, c);
        JsonNode strategy = spec.path("updateStrategy");
        PodTemplateRules.oneOf(strategy, "type", "spec.updateStrategy.type", UPDATE_STRATEGIES, c);
        if ("OnDelete".equals(strategy.path("type").asText()) && strategy.path("rollingUpdate").isObject()) {
            c.invalid("spec.updateStrategy.rollingUpdate", strategy.path("rollingUpdate"),
                    "only allowed for updateStrategy 'RollingUpdate'");
        }
        PodTemplateRules.nonNegative(strategy.path("rollingUpdate").path("partition"), "spec.updateStrategy.rollingUpdate.partition", c);
        JsonNode retention = spec.path("persistentVolumeClaimRetentionPolicy");
        PodTemplateRules.oneOf(retention, "whenDeleted", "spec.persistentVolumeClaimRetentionPolicy.whenDeleted", RETENTION, c);
        PodTemplateRules.oneOf(retention, "whenScaled", "spec.persistentVolumeClaimRetentionPolicy.whenScaled", RETENTION, c);
        PodTemplateRules.selectorMatchingTemplate(spec, "spec", c);
        PodTemplateRules.template(spec.path("template"), "spec.template", List.of("Always"), c);
        int i = 0;
        for (JsonNode claim : spec.path("volumeClaimTemplates")) {
            String name = claim.path("metadata").path("name").asText("");
            if (name.isEmpty()) {
                c.required("spec.volumeClaimTemplates[" + i + "].metadata.name", "name or generateName is required");
            }
            i++;
        }
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode spec = object.path("spec");
        JsonNode oldSpec = old.path("spec");
        if (changedOutside(spec, oldSpec) || changedOutside(oldSpec, spec)) {
            c.forbidden("spec", FORBIDDEN_UPDATE);
        }
    }

    private static boolean changedOutside(JsonNode a, JsonNode b) {
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!MUTABLE.contains(f) && !a.path(f).equals(b.path(f))) {
                return true;
            }
        }
        return false;
    }
}
