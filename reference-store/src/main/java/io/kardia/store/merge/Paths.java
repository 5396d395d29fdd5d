package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kardia.store.fieldpath.PathElement;
import java.util.ArrayList;
import java.util.List;

/** Small helpers for paths while walking objects. */
final class Paths {
    private Paths() {
    }

    static List<PathElement> child(List<PathElement> path, PathElement e) {
        List<PathElement> c = new ArrayList<>(path.size() + 1);
        c.addAll(path);
        c.add(e);
        return c;
    }

    static String display(List<PathElement> path) {
        return PathElement.display(path);
    }

    /** Integral numbers as longs, so {@code 80} read as an int and as a long name the same item. */
    static JsonNode normalized(JsonNode v) {
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return JsonNodeFactory.instance.numberNode(v.longValue());
        }
        return v;
    }
}
