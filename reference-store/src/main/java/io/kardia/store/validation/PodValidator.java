package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** core/v1 Pod: container rules and spec immutability after create. */
public final class PodValidator implements KindValidator {
    static final String IMMUTABLE_SPEC = "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
            + "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";
    private static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");

    @Override
    public void validateCreate(ObjectNode object, Causes c) {
        validateSpec(object.path("spec"), "spec", c);
    }

    @Override
    public void validateUpdate(ObjectNode object, ObjectNode old, Causes c) {
        validateCreate(object, c);
        JsonNode spec = object.path("spec");
        JsonNode oldSpec = old.path("spec");
        if (!spec.equals(oldSpec) && !withMutablePartsOf(oldSpec, spec).equals(oldSpec)) {
            c.forbidden("spec", IMMUTABLE_SPEC);
        }
    }

    /** A copy of {@code spec} with the fields pods may change replaced by their old values. */
    private static JsonNode withMutablePartsOf(JsonNode oldSpec, JsonNode spec) {
        if (!spec.isObject()) {
            return spec;
        }
        ObjectNode copy = ((ObjectNode) spec).deepCopy();
        for (String list : List.of("containers", "initContainers")) {
            JsonNode now = copy.path(list);
            JsonNode before = oldSpec.path(list);
            if (now.isArray() && before.isArray() && now.size() == before.size()) {
                for (int i = 0; i < now.size(); i++) {
                    if (now.get(i).isObject() && before.get(i).has("image")) {
                        ((ObjectNode) now.get(i)).set("image", before.get(i).get("image"));
                    }
                }
            }
        }
        restore(copy, oldSpec, "activeDeadlineSeconds");
        JsonNode tolerations = copy.path("tolerations");
        JsonNode oldTolerations = oldSpec.path("tolerations");
        boolean additionsOnly = true;
        for (JsonNode t : oldTolerations) {
            boolean found = false;
            for (JsonNode n : tolerations) {
                found |= n.equals(t);
            }
            additionsOnly &= found;
        }
        if (additionsOnly) {
            restore(copy, oldSpec, "tolerations");
        }
        if (oldSpec.path("terminationGracePeriodSeconds").asLong(0) < 0 && copy.path("terminationGracePeriodSeconds").asLong(0) == 1) {
            restore(copy, oldSpec, "terminationGracePeriodSeconds");
        }
        return copy;
    }

    private static void restore(ObjectNode copy, JsonNode old, String field) {
        if (old.has(field)) {
            copy.set(field, old.get(field));
        } else {
            copy.remove(field);
        }
    }

    /** Shared with pod templates (ReplicaSet, Deployment). */
    static void validateSpec(JsonNode spec, String field, Causes c) {
        JsonNode containers = spec.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            c.required(field + ".containers", null);
        }
        Set<String> names = new HashSet<>();
        validateContainers(containers, field + ".containers", names, c);
        validateContainers(spec.path("initContainers"), field + ".initContainers", names, c);
        String restart = spec.path("restartPolicy").asText("");
        if (!restart.isEmpty() && !RESTART_POLICIES.contains(restart)) {
            c.notSupported(field + ".restartPolicy", restart, RESTART_POLICIES);
        }
        JsonNode grace = spec.path("terminationGracePeriodSeconds");
        if (grace.isNumber() && grace.asLong() < 0) {
            c.invalid(field + ".terminationGracePeriodSeconds", grace, "must be greater than or equal to 0");
        }
        JsonNode deadline = spec.path("activeDeadlineSeconds");
        if (deadline.isNumber() && deadline.asLong() <= 0) {
            c.invalid(field + ".activeDeadlineSeconds", deadline, "must be between 1 and 2147483647, inclusive");
        }
        String nodeName = spec.path("nodeName").asText("");
        if (!nodeName.isEmpty()) {
            for (String e : NameRules.dns1123Subdomain(nodeName)) {
                c.invalid(field + ".nodeName", nodeName, e);
            }
        }
    }

    private static void validateContainers(JsonNode containers, String field, Set<String> names, Causes c) {
        if (!containers.isArray()) {
            return;
        }
        ArrayNode list = (ArrayNode) containers;
        for (int i = 0; i < list.size(); i++) {
            JsonNode ct = list.get(i);
            String f = field + "[" + i + "]";
            String name = ct.path("name").asText("");
            if (name.isEmpty()) {
                c.required(f + ".name", null);
            } else {
                for (String e : NameRules.dns1123Label(name)) {
                    c.invalid(f + ".name", name, e);
                }
                if (!names.add(name)) {
                    c.duplicate(f + ".name", name);
                }
            }
            if (ct.path("image").asText("").isBlank()) {
                c.required(f + ".image", null);
            }
            int p = 0;
            for (JsonNode port : ct.path("ports")) {
                long n = port.path("containerPort").asLong(0);
                if (n < 1 || n > 65535) {
                    c.invalid(f + ".ports[" + p + "].containerPort", port.path("containerPort"), "must be between 1 and 65535, inclusive");
                }
                p++;
            }
            int e = 0;
            for (JsonNode env : ct.path("env")) {
                if (env.path("name").asText("").isEmpty()) {
                    c.required(f + ".env[" + e + "].name", null);
                }
                e++;
            }
        }
    }
}
