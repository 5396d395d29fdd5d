package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code fieldValidation} query parameter (kubectl 1.27+ sends {@code Strict} on create,
 * replace and apply): unknown fields are refused with 400 ({@code Strict}), reported as a
 * {@code Warning} header ({@code Warn}) or let through ({@code Ignore}, the default here).
 *
 * <p>The check covers what the server knows without schemas: the top level of the built-in kinds
 * and {@code metadata} of every kind. Deeper fields (inside {@code spec}) are not checked.
 */
final class FieldValidation {
    enum Mode { Ignore, Warn, Strict }

    private static final Set<String> COMMON = Set.of("apiVersion", "kind", "metadata");
    private static final Set<String> SPEC_STATUS = Set.of("spec", "status");
    private static final Map<String, Set<String>> TOP_LEVEL = Map.ofEntries(
            Map.entry("/pods", SPEC_STATUS),
            Map.entry("/nodes", SPEC_STATUS),
            Map.entry("/namespaces", SPEC_STATUS),
            Map.entry("apps/deployments", SPEC_STATUS),
            Map.entry("apps/replicasets", SPEC_STATUS),
            Map.entry("coordination.k8s.io/leases", Set.of("spec")),
            Map.entry("apiextensions.k8s.io/customresourcedefinitions", SPEC_STATUS),
            Map.entry("/configmaps", Set.of("data", "binaryData", "immutable")),
            Map.entry("/secrets", Set.of("data", "stringData", "type", "immutable")));
    private static final Set<String> OBJECT_META = Set.of("name", "generateName", "namespace", "selfLink", "uid",
            "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
            "labels", "annotations", "ownerReferences", "finalizers", "managedFields");

    private FieldValidation() {
    }

    static Mode mode(String value) {
        if (value == null || value.isEmpty()) {
            return Mode.Ignore;
        }
        try {
            return Mode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw KubeApiException.of(Status.badRequest("fieldValidation: Unsupported value: \"" + value
                    + "\": supported values: \"Ignore\", \"Warn\", \"Strict\""));
        }
    }

    /** Unknown field paths of {@code body}, as kube-apiserver names them ("spec.foo", "bar"). */
    static List<String> unknownFields(ResourceType<?> type, ObjectNode body) {
        List<String> unknown = new ArrayList<>();
        Set<String> known = TOP_LEVEL.get(type.group() + "/" + type.plural());
        if (known != null) {
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!COMMON.contains(f) && !known.contains(f)) {
                    unknown.add(f);
                }
            }
        }
        JsonNode meta = body.path("metadata");
        for (Iterator<String> it = meta.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!OBJECT_META.contains(f)) {
                unknown.add("metadata." + f);
            }
        }
        return unknown;
    }

    /**
     * Applies the mode: throws 400 for Strict, returns the warning texts for Warn, nothing for Ignore.
     */
    static List<String> check(Mode mode, ResourceType<?> type, ObjectNode body) {
        if (mode == Mode.Ignore) {
            return List.of();
        }
        List<String> unknown = unknownFields(type, body);
        if (unknown.isEmpty()) {
            return List.of();
        }
        List<String> messages = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
        if (mode == Mode.Strict) {
            throw KubeApiException.of(Status.badRequest("strict decoding error: " + String.join(", ", messages)));
        }
        return messages;
    }
}
