package io.kardia.store.fieldpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.json.CodecException;
import io.kardia.core.json.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One step of a field path, as structured-merge-diff names them: a struct field or map key
 * ({@code f:name}), an item of an associative list by its key fields ({@code k:{"name":"web"}}),
 * an item of a set by its value ({@code v:"a"}), or a list position ({@code i:3}, which kube-apiserver
 * never writes into managed fields, since atomic lists are owned whole).
 *
 * <p>Elements order as structured-merge-diff orders them (fields, then keys, then values, then
 * indices), which is the order FieldsV1 is serialized in.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** The FieldsV1 form: {@code f:spec}, {@code k:{"containerPort":80,"protocol":"TCP"}}, {@code v:"x"}, {@code i:0}. */
    String serialize();

    /** The form conflict messages use: {@code .spec}, {@code [name="web"]}, {@code [="x"]}, {@code [0]}. */
    String display();

    int rank();

    static Field field(String name) {
        return new Field(name);
    }

    /** A struct field or a map's key. */
    record Field(String name) implements PathElement {
        @Override
        public String serialize() {
            return "f:" + name;
        }

        @Override
        public String display() {
            return "." + name;
        }

        @Override
        public int rank() {
            return 0;
        }
    }

    /** An associative list's item, by the values of its key fields (sorted by field name). */
    record Key(SortedMap<String, JsonNode> fields) implements PathElement {
        public Key {
            fields = new TreeMap<>(fields);
        }

        @Override
        public String serialize() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            fields.forEach(o::set);
            return "k:" + Json.toString(o);
        }

        @Override
        public String display() {
            StringBuilder b = new StringBuilder("[");
            fields.forEach((k, v) -> {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(k).append('=').append(Json.toString(v));
            });
            return b.append(']').toString();
        }

        @Override
        public int rank() {
            return 1;
        }
    }

    /** A set's item, by its value. */
    record Value(JsonNode value) implements PathElement {
        @Override
        public String serialize() {
            return "v:" + Json.toString(value);
        }

        @Override
        public String display() {
            return "[=" + Json.toString(value) + "]";
        }

        @Override
        public int rank() {
            return 2;
        }
    }

    /** A position in a list (never in managed fields written by the store). */
    record Index(int index) implements PathElement {
        @Override
        public String serialize() {
            return "i:" + index;
        }

        @Override
        public String display() {
            return "[" + index + "]";
        }

        @Override
        public int rank() {
            return 3;
        }
    }

    @Override
    default int compareTo(PathElement o) {
        if (rank() != o.rank()) {
            return Integer.compare(rank(), o.rank());
        }
        return switch (this) {
            case Field f -> f.name().compareTo(((Field) o).name());
            case Key k -> compareKeys(k.fields(), ((Key) o).fields());
            case Value v -> Values.compare(v.value(), ((Value) o).value());
            case Index i -> Integer.compare(i.index(), ((Index) o).index());
        };
    }

    private static int compareKeys(SortedMap<String, JsonNode> a, SortedMap<String, JsonNode> b) {
        Iterator<Map.Entry<String, JsonNode>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<String, JsonNode>> ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            var ea = ia.next();
            var eb = ib.next();
            int c = ea.getKey().compareTo(eb.getKey());
            if (c != 0) {
                return c;
            }
            c = Values.compare(ea.getValue(), eb.getValue());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    /**
     * Parses the FieldsV1 form of one element.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static PathElement parse(String s) {
        if (s.length() < 2 || s.charAt(1) != ':') {
            throw new IllegalArgumentException("unknown path element \"" + s + "\": expected f:, k:, v: or i:");
        }
        String rest = s.substring(2);
        return switch (s.charAt(0)) {
            case 'f' -> new Field(rest);
            case 'k' -> {
                JsonNode keys = json(s, rest);
                if (!keys.isObject() || keys.isEmpty()) {
                    throw new IllegalArgumentException("path element \"" + s + "\": a key must be a non-empty JSON object");
                }
                SortedMap<String, JsonNode> m = new TreeMap<>();
                keys.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue()));
                yield new Key(m);
            }
            case 'v' -> new Value(json(s, rest));
            case 'i' -> {
                try {
                    yield new Index(Integer.parseInt(rest));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("path element \"" + s + "\": an index must be an integer");
                }
            }
            default -> throw new IllegalArgumentException("unknown path element \"" + s + "\": expected f:, k:, v: or i:");
        };
    }

    private static JsonNode json(String element, String text) {
        try {
            return Json.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (CodecException | IllegalArgumentException e) {
            throw new IllegalArgumentException("path element \"" + element + "\" does not hold JSON: " + e.getMessage());
        }
    }

    /** A path in display form: {@code .spec.template.spec.containers[name="web"].image}. */
    static String display(List<PathElement> path) {
        StringBuilder b = new StringBuilder();
        path.forEach(e -> b.append(e.display()));
        return b.toString();
    }
}
