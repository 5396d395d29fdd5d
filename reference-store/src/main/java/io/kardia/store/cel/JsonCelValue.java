package io.kardia.store.cel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelValue;
import dev.cel.common.values.NullValue;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON object as a CEL map that reads the JSON tree lazily: a field is converted when an
 * expression selects it (and kept for the next selection), never the whole object up front.
 *
 * <p>Why a {@link CelValue}: cel-java 0.14's runtime copies a plain Java map (recursively) into its
 * own form every time an expression reaches it ({@code CelValueConverter.mapContainer}), so each
 * {@code self.x} cost the size of {@code self}. It leaves {@code CelValue}s alone; being a
 * {@link Map} too, this one answers selection, {@code has()}, {@code in}, indexing, {@code size()}
 * and the macros as a map does. Objects are typed either by a CRD's structural schema (the
 * properties it declares, under their escaped CEL names; numbers of {@code type: number} as
 * doubles; the root's metadata reduced to name and generateName, as kube exposes it) or not at all
 * (admission's {@code object}: every field, integral numbers as ints).
 */
public final class JsonCelValue extends CelValue implements Map<String, Object> {
    private static final MapType TYPE = MapType.create(SimpleType.STRING, SimpleType.DYN);
    private static final JsonNode EMPTY = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();

    /** How the fields of one object are seen. */
    private enum Shape { UNTYPED, STRUCT, ROOT, EMBEDDED, MAP, ROOT_METADATA }

    private final ObjectNode node;
    private final JsonNode schema;
    private final Shape shape;
    private final Map<String, Object> converted = new HashMap<>(8);
    private Map<String, Object> all;

    private JsonCelValue(ObjectNode node, JsonNode schema, Shape shape) {
        this.node = node;
        this.schema = schema;
        this.shape = shape;
    }

    /** The CEL value of untyped JSON (admission's variables): objects lazily, every field. */
    public static Object untyped(JsonNode value) {
        return of(value, null, false, true);
    }

    /** The CEL value of {@code value} typed by the structural {@code schema} ({@code root}: the object's root). */
    public static Object typed(JsonNode value, JsonNode schema, boolean root) {
        return of(value, schema == null ? EMPTY : schema, root, false);
    }

    private static Object of(JsonNode value, JsonNode schema, boolean root, boolean untyped) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof ObjectNode o) {
            if (untyped) {
                return new JsonCelValue(o, null, Shape.UNTYPED);
            }
            boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            Shape shape = root ? Shape.ROOT : embedded ? Shape.EMBEDDED
                    : !schema.path("properties").isEmpty() ? Shape.STRUCT : Shape.MAP;
            return new JsonCelValue(o, schema, shape);
        }
        if (value.isArray()) {
            JsonNode items = untyped ? null : schema.get("items");
            List<Object> out = new ArrayList<>(value.size());
            for (JsonNode v : value) {
                out.add(untyped ? of(v, null, false, true) : of(v, items == null ? EMPTY : items, false, false));
            }
            return out;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (!untyped && "number".equals(schema.path("type").asText())) {
            return value.doubleValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (!untyped && value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0
                && "integer".equals(schema.path("type").asText())) {
            return value.longValue();
        }
        return value.doubleValue();
    }

    /** The JSON field behind CEL key {@code key}, or null when this object does not show it. */
    private String jsonKey(String key) {
        switch (shape) {
            case UNTYPED, MAP -> {
                return node.has(key) ? key : null;
            }
            case ROOT_METADATA -> {
                return (key.equals("name") || key.equals("generateName")) && node.hasNonNull(key) ? key : null;
            }
            default -> {
                if ((shape == Shape.ROOT || shape == Shape.EMBEDDED)
                        && (key.equals("apiVersion") || key.equals("kind") || key.equals("metadata")) && node.has(key)) {
                    return key;
                }
                JsonNode props = schema.path("properties");
                if (!key.contains("__")) {
                    return props.has(key) && node.has(key) && key.equals(SchemaCelTypes.escape(key)) ? key : null;
                }
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (props.has(f) && key.equals(SchemaCelTypes.escape(f))) {
                        return f;
                    }
                }
                return null;
            }
        }
    }

    /** The CEL value of JSON field {@code f} (which this object shows). */
    private Object convert(String f) {
        JsonNode v = node.get(f);
        return switch (shape) {
            case UNTYPED -> of(v, null, false, true);
            case ROOT_METADATA -> v.asText();
            case MAP -> {
                JsonNode additional = schema.get("additionalProperties");
                yield of(v, additional != null && additional.isObject() ? additional : EMPTY, false, false);
            }
            default -> {
                if (shape == Shape.ROOT && f.equals("metadata")) {
                    yield v instanceof ObjectNode m ? new JsonCelValue(m, null, Shape.ROOT_METADATA) : NullValue.NULL_VALUE;
                }
                JsonNode ps = schema.path("properties").get(f);
                yield ps != null ? of(v, ps, false, false) : of(v, EMPTY, false, false);
            }
        };
    }

    @Override
    public Object get(Object key) {
        if (!(key instanceof String k)) {
            return null;
        }
        Object v = converted.get(k);
        if (v == null) {
            String f = jsonKey(k);
            if (f == null) {
                return null;
            }
            v = convert(f);
            converted.put(k, v);
        }
        return v;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && (converted.containsKey(k) || jsonKey(k) != null);
    }

    /** Every shown field, converted (iteration, equality with other maps). */
    private Map<String, Object> all() {
        if (all == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                String key = celKey(f);
                if (key != null) {
                    m.put(key, get(key));
                }
            }
            all = m;
        }
        return all;
    }

    /** The CEL key of JSON field {@code f}, or null when this object does not show it. */
    private String celKey(String f) {
        return switch (shape) {
            case UNTYPED, MAP -> f;
            case ROOT_METADATA -> (f.equals("name") || f.equals("generateName")) && node.hasNonNull(f) ? f : null;
            default -> {
                if ((shape == Shape.ROOT || shape == Shape.EMBEDDED) && (f.equals("apiVersion") || f.equals("kind") || f.equals("metadata"))
                        && !schema.path("properties").has(f)) {
                    yield f;
                }
                if (shape == Shape.ROOT && f.equals("metadata")) {
                    yield f;
                }
                yield schema.path("properties").has(f) ? SchemaCelTypes.escape(f) : null;
            }
        };
    }

    @Override
    public int size() {
        return shape == Shape.UNTYPED || shape == Shape.MAP ? node.size() : all().size();
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    @Override
    public boolean containsValue(Object value) {
        return all().containsValue(value);
    }

    @Override
    public Set<String> keySet() {
        return java.util.Collections.unmodifiableSet(all().keySet());
    }

    @Override
    public Collection<Object> values() {
        return java.util.Collections.unmodifiableCollection(all().values());
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return java.util.Collections.unmodifiableMap(all()).entrySet();
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException("a JSON CEL value is read-only");
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("a JSON CEL value is read-only");
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException("a JSON CEL value is read-only");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("a JSON CEL value is read-only");
    }

    // ------------------------------------------------------------------ CelValue

    @Override
    public Object value() {
        return this;
    }

    @Override
    public boolean isZeroValue() {
        return isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) {
            return true;
        }
        if (o instanceof JsonCelValue j && j.shape == shape && j.schema == schema) {
            return j.node.equals(node); // the same view of equal JSON: equal without converting
        }
        return o instanceof Map<?, ?> m && all().equals(m);
    }

    @Override
    public int hashCode() {
        return all().hashCode();
    }

    @Override
    public String toString() {
        return new AbstractMap<String, Object>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                return JsonCelValue.this.entrySet();
            }
        }.toString();
    }
}
