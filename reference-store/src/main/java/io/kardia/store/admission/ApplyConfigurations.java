package io.kardia.store.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.store.merge.Schema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The checks kube-apiserver makes on a MutatingAdmissionPolicy's apply configuration before merging
 * it: it must be an object of the kind's schema (structured-merge-diff's conversion to a typed
 * value: no field the schema does not declare, values of the declared types), and it may not set
 * an atomic list, map or struct, since everything of it that the configuration leaves out would be
 * removed, rarely what the policy's author meant.
 */
final class ApplyConfigurations {
    private ApplyConfigurations() {
    }

    /**
     * Why {@code config} is not a value of {@code schema}, in structured-merge-diff's words ({@code
     * .spec.replicasx: field not declared in schema}; several as {@code errors:} and one per line);
     * null when it is one.
     */
    static String typeErrors(JsonNode config, Schema schema) {
        List<String> errors = new ArrayList<>();
        validate("", schema, config, errors);
        if (errors.isEmpty()) {
            return null;
        }
        return errors.size() == 1 ? errors.get(0) : "errors:\n  " + String.join("\n  ", errors);
    }

    private static void validate(String path, Schema s, JsonNode v, List<String> errors) {
        if (v == null || v.isNull() || s == null || s.kind() == Schema.Kind.UNTYPED) {
            return; // null is every type's value; an untyped (deduced) value takes anything
        }
        switch (s.kind()) {
            case SCALAR -> {
                String e = scalarError(s.scalar(), v);
                if (e != null) {
                    errors.add(at(path, e));
                }
            }
            case STRUCT, MAP -> {
                if (!v.isObject()) {
                    errors.add(at(path, "expected map, got " + GoValues.plain(v)));
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    String child = path + "." + GoValues.echo(e.getKey()); // a key may be a client's too
                    if (s.kind() == Schema.Kind.STRUCT && !s.declares(e.getKey()) && (s.closed() || s.field(e.getKey()) == null)) {
                        errors.add(at(child, "field not declared in schema"));
                        return; // structured-merge-diff stops at the first undeclared field of a map
                    }
                    validate(child, s.field(e.getKey()), e.getValue(), errors);
                }
            }
            case LIST -> {
                if (!v.isArray()) {
                    errors.add(at(path, "expected list, got " + GoValues.plain(v)));
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    validate(path + element(s, v.get(i), i), s.element(), v.get(i), errors);
                }
            }
            default -> { }
        }
    }

    /** structured-merge-diff's validateScalar, with Go's formatting of the value. */
    private static String scalarError(Schema.Scalar type, JsonNode v) {
        return switch (type) {
            case NUMERIC -> v.isNumber() ? null : "expected numeric (int or float), got " + GoValues.typeName(v);
            case STRING -> v.isTextual() ? null : "expected string, got &value.valueUnstructured{Value:" + GoValues.sharp(v) + "}";
            case BOOLEAN -> v.isBoolean() ? null : "expected boolean, got " + GoValues.plain(v);
            case UNTYPED -> v.isValueNode() ? null : "expected any scalar, got " + GoValues.plain(v);
        };
    }

    private static String at(String path, String message) {
        return path.isEmpty() ? message : path + ": " + message;
    }

    /** A list item's path element: its keys in an associative list, its value in a set, else its index. */
    private static String element(Schema list, JsonNode item, int index) {
        if (list.listType() == Schema.ListType.MAP && item.isObject() && !list.keys().isEmpty()) {
            List<String> keys = new ArrayList<>();
            for (String k : list.keys()) {
                JsonNode kv = item.has(k) ? item.get(k) : list.keyDefault(k);
                if (kv != null) {
                    keys.add(k + "=" + GoValues.echo(kv.toString()));
                }
            }
            return "[" + String.join(",", keys) + "]";
        }
        if (list.listType() == Schema.ListType.SET && item.isValueNode()) {
            return "[=" + GoValues.echo(item.toString()) + "]";
        }
        return "[" + index + "]";
    }

    /** The paths (structured-merge-diff's form: {@code .spec.ports[0].x}) of atomic values {@code config} sets. */
    static List<String> atomics(JsonNode config, Schema schema) {
        List<String> out = new ArrayList<>();
        find("", schema, config, out);
        return out;
    }

    private static void find(String path, Schema s, JsonNode v, List<String> out) {
        if (s == null || s.kind() == Schema.Kind.UNTYPED || s.kind() == Schema.Kind.SCALAR) {
            return; // an untyped (schemaless) value has no atomicity to respect
        }
        if (v.isObject() && (s.kind() == Schema.Kind.STRUCT || s.kind() == Schema.Kind.MAP)) {
            if (s.atomic()) {
                out.add(path);
            }
            if (s.kind() == Schema.Kind.STRUCT) {
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (s.declares(e.getKey())) {
                        find(path + "." + e.getKey(), s.field(e.getKey()), e.getValue(), out);
                    }
                }
            }
        } else if (v.isArray() && s.kind() == Schema.Kind.LIST) {
            if (s.atomic()) {
                out.add(path);
            }
            for (int i = 0; i < v.size(); i++) {
                find(path + "[" + i + "]", s.element(), v.get(i), out);
            }
        }
    }
}
