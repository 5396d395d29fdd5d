package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON objects as CEL values for admission expressions (typed dyn: maps, lists, int, double, string, bool, null). */
final class CelJson {
    private CelJson() {
    }

    static Object value(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            v.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>(v.size());
            v.forEach(e -> l.add(value(e)));
            return l;
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        return v.doubleValue();
    }
}
