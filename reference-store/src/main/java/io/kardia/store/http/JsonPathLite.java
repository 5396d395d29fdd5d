package io.kardia.store.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of kubectl's JSONPath that printer columns use in practice: {@code .a.b},
 * {@code .a[0].b}, {@code .a['b.c']}, {@code {.a.b}} and an equality filter
 * {@code .conditions[?(@.type=="Ready")].status} (the first matching element: a cell shows one
 * value). Anything else finds nothing (an empty cell), never an error: a column is a display aid.
 */
final class JsonPathLite {
    /** {@code ?(@.a.b=="v")} or with single quotes: the field path and the value. */
    private static final java.util.regex.Pattern FILTER =
            java.util.regex.Pattern.compile("\\?\\(\\s*@((?:\\.[A-Za-z0-9_-]+)+)\\s*==\\s*(?:\"([^\"]*)\"|'([^']*)')\\s*\\)");

    private JsonPathLite() {
    }

    /** Steps: field names, and array indexes as "[n]". Empty for an unsupported expression. */
    static List<String> parse(String expression) {
        String e = expression.trim();
        if (e.startsWith("{") && e.endsWith("}")) {
            e = e.substring(1, e.length() - 1).trim();
        }
        List<String> steps = new ArrayList<>();
        int i = 0;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < e.length() && e.charAt(end) != '.' && e.charAt(end) != '[') {
                    end++;
                }
                if (end > i + 1) {
                    steps.add(e.substring(i + 1, end));
                }
                i = end;
            } else if (c == '[') {
                int close = e.indexOf(']', i);
                if (close < 0) {
                    return List.of();
                }
                String inner = e.substring(i + 1, close).trim();
                if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
                        || inner.startsWith("\"") && inner.endsWith("\""))) {
                    steps.add(inner.substring(1, inner.length() - 1));
                } else if (FILTER.matcher(inner).matches()) {
                    var m = FILTER.matcher(inner);
                    m.matches();
                    steps.add("?" + m.group(1) + "=" + (m.group(2) != null ? m.group(2) : m.group(3)));
                } else if (inner.matches("\\d+")) {
                    steps.add("[" + inner + "]");
                } else {
                    return List.of();
                }
                i = close + 1;
            } else {
                return List.of();
            }
        }
        return steps;
    }

    static JsonNode find(JsonNode root, List<String> steps) {
        if (steps.isEmpty()) {
            return null;
        }
        JsonNode n = root;
        for (String s : steps) {
            if (s.startsWith("?")) {
                n = firstMatch(n, s);
            } else if (s.startsWith("[") && s.endsWith("]")) {
                n = n.path(Integer.parseInt(s.substring(1, s.length() - 1)));
            } else {
                n = n.path(s);
            }
            if (n.isMissingNode()) {
                return null;
            }
        }
        return n;
    }

    /** The first element of an array whose field (a dotted path) has the value, else missing. */
    private static JsonNode firstMatch(JsonNode array, String filter) {
        int eq = filter.indexOf('=');
        String[] fields = filter.substring(2, eq).split("\\.");
        String value = filter.substring(eq + 1);
        for (JsonNode element : array) {
            JsonNode v = element;
            for (String f : fields) {
                v = v.path(f);
            }
            if (v.isValueNode() && v.asText().equals(value)) {
                return element;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
