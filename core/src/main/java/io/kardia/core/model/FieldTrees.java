package io.kardia.core.model;

import io.kardia.core.json.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON-like trees of {@link GenericObject} (maps, lists, strings, numbers, booleans), compared
 * and combined the way an operator reconciles the fields it owns: an object read back from the
 * API server carries fields the operator never wrote (defaults, allocated IPs, status), so
 * "is it as I want it" means "does it contain what I want", not "is it equal to what I want".
 */
public final class FieldTrees {
    private FieldTrees() {
    }

    /**
     * Whether {@code have} holds everything in {@code want}: every key of a wanted map with a
     * contained value (a wanted null: the key is absent or null), lists of the same length whose
     * elements contain the wanted ones in order, numbers of equal value whatever their Java type,
     * other values equal.
     */
    public static boolean contains(Object have, Object want) {
        if (want instanceof Map<?, ?> w) {
            if (!(have instanceof Map<?, ?> h)) {
                return false;
            }
            for (Map.Entry<?, ?> e : w.entrySet()) {
                Object hv = h.get(e.getKey());
                if (e.getValue() == null ? hv != null : !contains(hv, e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (want instanceof List<?> w) {
            if (!(have instanceof List<?> h) || h.size() != w.size()) {
                return false;
            }
            for (int i = 0; i < w.size(); i++) {
                if (!contains(h.get(i), w.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (want instanceof Number w && have instanceof Number h) {
            return decimal(w).compareTo(decimal(h)) == 0;
        }
        return Objects.equals(have, want);
    }

    /**
     * {@code top} laid over {@code base}: maps merge key by key (a null in {@code top} removes the
     * key), lists of the same length merge element by element (so the defaults the server filled
     * into, say, each container survive), anything else is replaced by {@code top}. The result
     * {@link #contains contains} {@code top}.
     */
    public static Object overlay(Object base, Object top) {
        if (top instanceof Map<?, ?> t && base instanceof Map<?, ?> b) {
            Map<String, Object> out = new LinkedHashMap<>();
            b.forEach((k, v) -> out.put((String) k, v));
            t.forEach((k, v) -> {
                if (v == null) {
                    out.remove((String) k);
                } else {
                    out.put((String) k, overlay(out.get((String) k), v));
                }
            });
            return Frozen.tree(out);
        }
        if (top instanceof List<?> t && base instanceof List<?> b && b.size() == t.size()) {
            List<Object> out = new ArrayList<>(t.size());
            for (int i = 0; i < t.size(); i++) {
                out.add(overlay(b.get(i), t.get(i)));
            }
            return Frozen.treeListOf(out.toArray(), out.size());
        }
        return top;
    }

    /**
     * {@code value} as a tree: maps, lists and scalars as they are (frozen), anything else — a
     * typed model record such as a {@link PodTemplateSpec} — through its JSON form.
     */
    public static Object toTree(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        // Maps and lists may hold records too: one pass through JSON normalises the whole tree.
        return Json.mapper().convertValue(value, Object.class);
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }
}
