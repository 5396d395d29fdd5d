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

    /**
     * What a structural schema node says about the CEL values of its JSON, worked out once per
     * schema node (property names escaped, the shape chosen, child views made on first use) so
     * that reading a field costs a map lookup, not a walk over the schema's JSON.
     */
    public static final class View {
        private static final View UNTYPED_VIEW = new View(null, Shape.UNTYPED);
        private static final View ROOT_METADATA_VIEW = new View(null, Shape.ROOT_METADATA);
        private static final View EMPTY_VIEW = new View(EMPTY, false);

        private final JsonNode schema;
        private final Shape shape;
        private final boolean number;
        private final boolean integer;
        /** STRUCT/ROOT/EMBEDDED: the JSON property behind each CEL key (escaped names). */
        private final Map<String, String> jsonByCel;
        /** The views of properties, items and additionalProperties, made when first needed. */
        private final java.util.concurrent.ConcurrentHashMap<String, View> properties = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile View items;
        private volatile View additional;

        private View(JsonNode schema, Shape shape) {
            this.schema = schema;
            this.shape = shape;
            this.number = false;
            this.integer = false;
            this.jsonByCel = Map.of();
        }

        private View(JsonNode schema, boolean root) {
            this.schema = schema;
            boolean embedded = schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            this.shape = root ? Shape.ROOT : embedded ? Shape.EMBEDDED : !schema.path("properties").isEmpty() ? Shape.STRUCT : Shape.MAP;
            String type = schema.path("type").asText();
            this.number = "number".equals(type);
            this.integer = "integer".equals(type);
            Map<String, String> byCel = new HashMap<>();
            for (Iterator<String> it = schema.path("properties").fieldNames(); it.hasNext(); ) {
                String f = it.next();
                String key = SchemaCelTypes.escape(f);
                if (key != null) {
                    byCel.put(key, f);
                }
            }
            this.jsonByCel = Map.copyOf(byCel);
        }

        /** The view of values of the structural {@code schema} ({@code root}: an object's top level). */
        public static View of(JsonNode schema, boolean root) {
            return new View(schema == null ? EMPTY : schema, root);
        }

        private View property(String f) {
            View v = properties.get(f);
            if (v == null) {
                JsonNode ps = schema.path("properties").get(f);
                v = ps != null ? new View(ps, false) : EMPTY_VIEW;
                properties.put(f, v);
            }
            return v;
        }

        private View items() {
            View v = items;
            if (v == null) {
                JsonNode i = schema.get("items");
                v = i != null && i.isObject() ? new View(i, false) : EMPTY_VIEW;
                items = v;
            }
            return v;
        }

        private View additional() {
            View v = additional;
            if (v == null) {
                JsonNode a = schema.get("additionalProperties");
                v = a != null && a.isObject() ? new View(a, false) : EMPTY_VIEW;
                additional = v;
            }
            return v;
        }
    }

    private final ObjectNode node;
    private final View view;
    private final Shape shape;
    private final Map<String, Object> converted = new HashMap<>(8);
    private Map<String, Object> all;

    private JsonCelValue(ObjectNode node, View view) {
        this.node = node;
        this.view = view;
        this.shape = view.shape;
    }

    /** The CEL value of untyped JSON (admission's variables): objects lazily, every field. */
    public static Object untyped(JsonNode value) {
        return of(value, View.UNTYPED_VIEW);
    }

    /** The CEL value of {@code value} typed by the structural {@code schema} ({@code root}: the object's root). */
    public static Object typed(JsonNode value, JsonNode schema, boolean root) {
        return of(value, View.of(schema, root));
    }

    /** The CEL value of {@code value} seen through {@code view} (made once per schema node). */
    public static Object typed(JsonNode value, View view) {
        return of(value, view);
    }

    private static Object of(JsonNode value, View view) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        boolean untyped = view.shape == Shape.UNTYPED;
        if (value instanceof ObjectNode o) {
            return new JsonCelValue(o, view);
        }
        if (value.isArray()) {
            View items = untyped ? view : view.items();
            List<Object> out = new ArrayList<>(value.size());
            for (JsonNode v : value) {
                out.add(of(v, items));
            }
            return out;
        }
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (!untyped && view.number) {
            return value.doubleValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (!untyped && view.integer && value.isNumber() && value.decimalValue().stripTrailingZeros().scale() <= 0) {
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
                String f = view.jsonByCel.get(key);
                return f != null && node.has(f) ? f : null;
            }
        }
    }

    /** The CEL value of JSON field {@code f} (which this object shows). */
    private Object convert(String f) {
        JsonNode v = node.get(f);
        return switch (shape) {
            case UNTYPED -> of(v, view);
            case ROOT_METADATA -> v.asText();
            case MAP -> of(v, view.additional());
            default -> {
                if (shape == Shape.ROOT && f.equals("metadata")) {
                    yield v instanceof ObjectNode m ? new JsonCelValue(m, View.ROOT_METADATA_VIEW) : NullValue.NULL_VALUE;
                }
                yield of(v, view.property(f));
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
                        && !view.schema.path("properties").has(f)) {
                    yield f;
                }
                if (shape == Shape.ROOT && f.equals("metadata")) {
                    yield f;
                }
                yield view.schema.path("properties").has(f) ? SchemaCelTypes.escape(f) : null;
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
        if (o instanceof JsonCelValue j && j.shape == shape && j.view.schema == view.schema) {
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
