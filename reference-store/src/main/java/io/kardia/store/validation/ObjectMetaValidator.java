package io.kardia.store.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.validation.Causes;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** metadata rules every kind shares (apimachinery ValidateObjectMeta / ValidateObjectMetaUpdate). */
public final class ObjectMetaValidator {
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    private ObjectMetaValidator() {
    }

    /**
     * @param nameRule the kind's name syntax ({@link NameRules#dns1123Subdomain} for most,
     *                 {@link NameRules#dns1123Label} for namespaces)
     */
    public static void validate(ObjectNode object, boolean namespaced, Function<String, List<String>> nameRule, Causes c) {
        JsonNode meta = object.path("metadata");
        String name = meta.path("name").asText("");
        String generateName = meta.path("generateName").asText("");
        if (name.isEmpty()) {
            if (generateName.isEmpty()) {
                c.required("metadata.name", "name or generateName is required");
            }
        } else {
            for (String e : nameRule.apply(name)) {
                c.invalid("metadata.name", name, e);
            }
        }
        if (!generateName.isEmpty()) {
            String masked = generateName.endsWith("-") ? generateName.substring(0, generateName.length() - 1) + "a" : generateName;
            for (String e : nameRule.apply(masked)) {
                c.invalid("metadata.generateName", generateName, e);
            }
        }
        String ns = meta.path("namespace").asText("");
        if (namespaced) {
            if (ns.isEmpty()) {
                c.required("metadata.namespace", null);
            } else {
                for (String e : NameRules.dns1123Label(ns)) {
                    c.invalid("metadata.namespace", ns, e);
                }
            }
        } else if (!ns.isEmpty()) {
            c.forbidden("metadata.namespace", "not allowed on this type");
        }
        validateLabels(meta.path("labels"), "metadata.labels", c);
        validateAnnotations(meta.path("annotations"), c);
        validateOwnerReferences(meta.path("ownerReferences"), c);
        JsonNode generation = meta.path("generation");
        if (generation.isNumber() && generation.asLong() < 0) {
            c.invalid("metadata.generation", generation, "must be greater than or equal to 0");
        }
        for (JsonNode f : meta.path("finalizers")) {
            for (String e : NameRules.qualifiedName(f.asText())) {
                c.invalid("metadata.finalizers", f.asText(), e);
            }
        }
    }

    public static void validateLabels(JsonNode labels, String field, Causes c) {
        if (!labels.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
            var e = it.next();
            for (String err : NameRules.qualifiedName(e.getKey())) {
                c.invalid(field, e.getKey(), err);
            }
            if (!e.getValue().isTextual()) {
                c.invalid(field, e.getValue(), "label values must be strings");
                continue;
            }
            for (String err : NameRules.labelValue(e.getValue().asText())) {
                c.invalid(field, e.getValue().asText(), err);
            }
        }
    }

    private static void validateAnnotations(JsonNode annotations, Causes c) {
        if (!annotations.isObject()) {
            return;
        }
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
            var e = it.next();
            for (String err : NameRules.qualifiedName(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                c.invalid("metadata.annotations", e.getKey(), err);
            }
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT) {
            c.tooLong("metadata.annotations", "must have at most " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes");
        }
    }

    private static void validateOwnerReferences(JsonNode refs, Causes c) {
        int controllers = 0;
        int i = 0;
        for (JsonNode r : refs) {
            String f = "metadata.ownerReferences[" + i++ + "]";
            for (String req : List.of("apiVersion", "kind", "name", "uid")) {
                if (r.path(req).asText("").isEmpty()) {
                    c.invalid(f + "." + req, r.path(req).asText(""), req + " must not be empty");
                }
            }
            if (r.path("controller").asBoolean(false)) {
                controllers++;
            }
        }
        if (controllers > 1) {
            c.invalid("metadata.ownerReferences", refs, "Only one reference can have Controller set to true");
        }
    }
}
