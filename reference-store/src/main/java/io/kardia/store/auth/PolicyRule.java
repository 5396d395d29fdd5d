package io.kardia.store.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One RBAC rule (rbac.authorization.k8s.io/v1 PolicyRule) and kube's matching: {@code *} matches
 * any verb, group, resource or URL; a resource rule names {@code pods} or {@code pods/status}
 * ({@code *}{@code /status} matches that subresource of anything); resourceNames, when given, limit
 * the rule to those names (a request without a name, such as list or create, never matches them);
 * a URL rule ending in {@code *} matches by prefix.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources, List<String> resourceNames,
                         List<String> nonResourceURLs) {
    static final String ALL = "*";

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    public static PolicyRule resources(List<String> verbs, List<String> groups, List<String> resources) {
        return new PolicyRule(verbs, groups, resources, List.of(), List.of());
    }

    public static PolicyRule urls(List<String> verbs, List<String> urls) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), urls);
    }

    public boolean isNonResource() {
        return !nonResourceURLs.isEmpty();
    }

    public boolean allows(RequestAttributes a) {
        if (!matchesOrAll(verbs, a.verb())) {
            return false;
        }
        if (!a.resourceRequest()) {
            return urlMatches(a.path());
        }
        return matchesOrAll(apiGroups, a.apiGroup())
                && resourceMatches(a.resourceWithSubresource(), a.subresource())
                && (resourceNames.isEmpty() || resourceNames.contains(a.name()));
    }

    private boolean resourceMatches(String combined, String subresource) {
        for (String r : resources) {
            if (r.equals(ALL) || r.equals(combined)) {
                return true;
            }
            if (!subresource.isEmpty() && r.equals("*/" + subresource)) {
                return true;
            }
        }
        return false;
    }

    private boolean urlMatches(String path) {
        for (String u : nonResourceURLs) {
            if (u.equals(ALL) || u.equals(path)) {
                return true;
            }
            if (u.endsWith("*") && path.startsWith(u.substring(0, u.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesOrAll(List<String> allowed, String value) {
        return allowed.contains(ALL) || allowed.contains(value);
    }

    static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")), strings(rule.path("resources")),
                strings(rule.path("resourceNames")), strings(rule.path("nonResourceURLs")));
    }

    static List<PolicyRule> listFromJson(JsonNode rules) {
        List<PolicyRule> out = new ArrayList<>();
        rules.forEach(r -> out.add(fromJson(r)));
        return out;
    }

    /** As rbac/v1 JSON, leaving out empty lists as kube-apiserver does. */
    public ObjectNode toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.set("verbs", array(verbs));
        if (!apiGroups.isEmpty() || (!isNonResource() && !resources.isEmpty())) {
            n.set("apiGroups", array(apiGroups));
        }
        if (!resources.isEmpty()) {
            n.set("resources", array(resources));
        }
        if (!resourceNames.isEmpty()) {
            n.set("resourceNames", array(resourceNames));
        }
        if (!nonResourceURLs.isEmpty()) {
            n.set("nonResourceURLs", array(nonResourceURLs));
        }
        return n;
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode array(List<String> values) {
        var a = Json.mapper().createArrayNode();
        values.forEach(a::add);
        return a;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asText()));
        return out;
    }
}
