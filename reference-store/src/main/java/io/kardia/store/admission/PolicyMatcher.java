package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.store.validation.LabelSelectorJson;
import java.util.Optional;

/**
 * kube's admission matching of a request against {@code matchConstraints} (policy) or
 * {@code matchResources} (binding): resourceRules (apiGroups, apiVersions, resources with
 * {@code resource/subresource}, {@code *}, {@code * /status}, operations, scope, resourceNames),
 * excludeResourceRules, namespaceSelector (the namespace's labels; a Namespace's own labels) and
 * objectSelector (the object's labels, or the old object's on delete). {@code matchPolicy}
 * Equivalent (the default) ignores apiVersions, as the store serves one version of each resource;
 * Exact compares them.
 */
final class PolicyMatcher {
    private PolicyMatcher() {
    }

    static boolean matches(JsonNode constraints, AdmissionRequest r, AdmissionContext ctx) {
        if (constraints == null || constraints.isNull() || constraints.isMissingNode()) {
            return true;
        }
        boolean exact = "Exact".equals(constraints.path("matchPolicy").asText("Equivalent"));
        JsonNode rules = constraints.get("resourceRules");
        if (rules != null && !anyRuleMatches(rules, r, exact)) {
            return false;
        }
        if (anyRuleMatches(constraints.path("excludeResourceRules"), r, exact)) {
            return false;
        }
        if (!selectorMatches(constraints.get("objectSelector"), objectLabels(r))) {
            return false;
        }
        JsonNode nsSelector = constraints.get("namespaceSelector");
        if (nsSelector != null && !LabelSelectorJson.isEmpty(nsSelector)) {
            JsonNode labels;
            if (r.type().groupResource().equals("namespaces")) {
                labels = objectLabels(r);
            } else if (!r.type().namespaced()) {
                return true; // a cluster-scoped object is never excluded by a namespace selector
            } else {
                labels = ctx.namespace(r.namespace()).map(n -> n.path("metadata").path("labels")).orElse(null);
                if (labels == null) {
                    return false;
                }
            }
            return LabelSelectorJson.matches(nsSelector, labels);
        }
        return true;
    }

    private static JsonNode objectLabels(AdmissionRequest r) {
        ObjectNode o = r.object() != null ? r.object() : r.oldObject();
        return o == null ? null : o.path("metadata").path("labels");
    }

    private static boolean selectorMatches(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isNull() || LabelSelectorJson.isEmpty(selector)) {
            return true;
        }
        return labels != null && LabelSelectorJson.matches(selector, labels);
    }

    private static boolean anyRuleMatches(JsonNode rules, AdmissionRequest r, boolean exact) {
        for (JsonNode rule : rules) {
            if (ruleMatches(rule, r, exact)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ruleMatches(JsonNode rule, AdmissionRequest r, boolean exact) {
        if (!contains(rule.path("operations"), r.operation().name()) || !contains(rule.path("apiGroups"), r.type().group())) {
            return false;
        }
        if (exact && !contains(rule.path("apiVersions"), r.type().version())) {
            return false;
        }
        String scope = rule.path("scope").asText("*");
        if (scope.equals("Namespaced") && !r.type().namespaced() || scope.equals("Cluster") && r.type().namespaced()) {
            return false;
        }
        boolean resource = false;
        String sub = Optional.ofNullable(r.subresource()).orElse("");
        for (JsonNode res : rule.path("resources")) {
            String s = res.asText();
            int slash = s.indexOf('/');
            String rn = slash < 0 ? s : s.substring(0, slash);
            String sn = slash < 0 ? "" : s.substring(slash + 1);
            boolean resourceOk = rn.equals("*") || rn.equals(r.type().plural());
            boolean subOk = slash < 0 ? sub.isEmpty() : sn.equals("*") || sn.equals(sub);
            if (s.equals("*/*") || resourceOk && subOk) {
                resource = true;
                break;
            }
        }
        if (!resource) {
            return false;
        }
        JsonNode names = rule.path("resourceNames");
        return names.isEmpty() || contains(names, r.name());
    }

    private static boolean contains(JsonNode list, String value) {
        for (JsonNode v : list) {
            if (v.asText().equals("*") || v.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }
}
