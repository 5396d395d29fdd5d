package io.kardia.store.fieldpath;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** structured-merge-diff's total order of JSON values: numbers, strings, booleans, lists, maps, null. */
final class Values {
    private Values() {
    }

    static int compare(JsonNode a, JsonNode b) {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
            return Integer.compare(ra, rb);
        }
        return switch (ra) {
            case 0 -> a.decimalValue().compareTo(b.decimalValue());
            case 1 -> a.textValue().compareTo(b.textValue());
            case 2 -> Boolean.compare(a.booleanValue(), b.booleanValue());
            case 3 -> compareLists(a, b);
            case 4 -> compareMaps(a, b);
            default -> 0;
        };
    }

    private static int rank(JsonNode n) {
        if (n.isNumber()) {
            return 0;
        }
        if (n.isTextual()) {
            return 1;
        }
        if (n.isBoolean()) {
            return 2;
        }
        if (n.isArray()) {
            return 3;
        }
        if (n.isObject()) {
            return 4;
        }
        return 5;
    }

    private static int compareLists(JsonNode a, JsonNode b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareMaps(JsonNode a, JsonNode b) {
        Iterator<Map.Entry<String, JsonNode>> ia = sorted(a).entrySet().iterator();
        Iterator<Map.Entry<String, JsonNode>> ib = sorted(b).entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            var ea = ia.next();
            var eb = ib.next();
            int c = ea.getKey().compareTo(eb.getKey());
            if (c == 0) {
                c = compare(ea.getValue(), eb.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    private static TreeMap<String, JsonNode> sorted(JsonNode o) {
        TreeMap<String, JsonNode> m = new TreeMap<>();
        o.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }
}
