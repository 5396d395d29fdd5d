package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON values as Go's fmt prints the unstructured values structured-merge-diff reports in its
 * errors ({@code %T}, {@code %v} and {@code %#v}), so a refused apply configuration reads as
 * kube-apiserver words it; a long value is {@linkplain #echo cut short}.
 */
final class GoValues {
    /** The longest printed value an error echoes whole. */
    static final int ECHO_LIMIT = 100;
    /** How much of a longer one it keeps. */
    static final int ECHO_PREFIX = 64;

    private GoValues() {
    }

    /**
     * {@code printed} as an error echoes it: whole up to {@value #ECHO_LIMIT} characters, else its
     * first {@value #ECHO_PREFIX}, "..." and how long it was. The value may be a client's (a policy
     * copies it from the object), and a huge one is not sent back whole in the refusal.
     */
    static String echo(String printed) {
        if (printed.length() <= ECHO_LIMIT) {
            return printed;
        }
        int end = Character.isHighSurrogate(printed.charAt(ECHO_PREFIX - 1)) ? ECHO_PREFIX - 1 : ECHO_PREFIX;
        return printed.substring(0, end) + "... (truncated: " + printed.length() + " characters)";
    }

    /** {@code %T}: {@code string}, {@code int64}, {@code float64}, {@code bool}, {@code map[string]interface {}}, {@code []interface {}}. */
    static String typeName(JsonNode v) {
        if (v.isTextual()) {
            return "string";
        }
        if (v.isIntegralNumber()) {
            return "int64";
        }
        if (v.isNumber()) {
            return "float64";
        }
        if (v.isBoolean()) {
            return "bool";
        }
        if (v.isObject()) {
            return "map[string]interface {}";
        }
        if (v.isArray()) {
            return "[]interface {}";
        }
        return "<nil>";
    }

    /** {@code %v} of structured-merge-diff's value (a pointer to a struct holding the value): {@code &{3}}, {@code &{map[a:b]}}; {@linkplain #echo cut short}. */
    static String plain(JsonNode v) {
        return "&{" + echo(inner(v, false)) + "}";
    }

    /** {@code %#v} of the value a structured-merge-diff value holds: {@code "x"}, {@code 3}, {@code map[string]interface {}{"a":"b"}}; {@linkplain #echo cut short}. */
    static String sharp(JsonNode v) {
        return echo(inner(v, true));
    }

    private static String inner(JsonNode v, boolean sharp) {
        if (v == null || v.isNull()) {
            return sharp ? "interface {}(nil)" : "<nil>";
        }
        if (v.isTextual()) {
            return sharp ? quote(v.asText()) : v.asText();
        }
        if (v.isIntegralNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            return d == Math.rint(d) && Math.abs(d) < 1e21 ? Long.toString((long) d) : Double.toString(d).replace("E", "e+").replace("e+-", "e-");
        }
        if (v.isObject()) {
            Map<String, JsonNode> sortedFields = new TreeMap<>(); // Go prints maps by sorted key
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sortedFields.put(e.getKey(), e.getValue());
            }
            List<String> parts = new ArrayList<>();
            sortedFields.forEach((k, x) -> parts.add(sharp ? quote(k) + ":" + inner(x, true) : k + ":" + inner(x, false)));
            return sharp ? "map[string]interface {}{" + String.join(", ", parts) + "}" : "map[" + String.join(" ", parts) + "]";
        }
        List<String> parts = new ArrayList<>();
        v.forEach(x -> parts.add(inner(x, sharp)));
        return sharp ? "[]interface {}{" + String.join(", ", parts) + "}" : "[" + String.join(" ", parts) + "]";
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }
}
