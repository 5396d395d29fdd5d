package io.kardia.store.cel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code fieldPath} of a validation rule: a relative JSON path into the schema the rule is on,
 * in dot ({@code .spec.replicas}) or bracket ({@code ['app.kubernetes.io/name']}) notation, as kube
 * accepts it. Every step must name a property (or, under additionalProperties, a key).
 */
final class FieldPaths {
    private FieldPaths() {
    }

    /** The property names along {@code path}, or null when it is not a valid path in {@code schema}. */
    static List<String> parse(String path, JsonNode schema) {
        List<String> steps = new ArrayList<>();
        JsonNode s = schema;
        int i = 0;
        String p = path.strip();
        if (p.isEmpty()) {
            return null;
        }
        while (i < p.length()) {
            String name;
            if (p.charAt(i) == '.') {
                int j = i + 1;
                while (j < p.length() && p.charAt(j) != '.' && p.charAt(j) != '[') {
                    j++;
                }
                name = p.substring(i + 1, j);
                i = j;
            } else if (p.startsWith("['", i) || p.startsWith("[\"", i)) {
                char q = p.charAt(i + 1);
                int end = p.indexOf(q + "]", i + 2);
                if (end < 0) {
                    return null;
                }
                name = p.substring(i + 2, end);
                i = end + 2;
            } else {
                return null;
            }
            if (name.isEmpty() || s == null) {
                return null;
            }
            JsonNode next = s.path("properties").get(name);
            if (next == null) {
                JsonNode additional = s.get("additionalProperties");
                next = additional != null && additional.isObject() ? additional : null;
            }
            if (next == null) {
                return null;
            }
            steps.add(name);
            s = next;
        }
        return steps;
    }
}
