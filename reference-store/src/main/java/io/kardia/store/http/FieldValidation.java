package io.kardia.store.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kardia.core.client.KubeApiException;
import io.kardia.core.model.ResourceType;
import io.kardia.core.model.Status;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.TypeSchema;
import io.kardia.store.TypeRegistry;
import io.kardia.store.validation.SchemaPruner;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code fieldValidation} query parameter (kubectl sends {@code Strict} by default on create,
 * replace and patch): fields the kind's schema does not declare, and fields a JSON body names twice,
 * are refused with 400 {@code strict decoding error: unknown field "spec.foo", duplicate field
 * "spec.replicas"} ({@code Strict}), reported one {@code Warning} header each ({@code Warn}) or let
 * through ({@code Ignore}, the default here as in kube-apiserver for clients that send nothing).
 *
 * <p>Built-in kinds are checked against their schema in the Kubernetes API catalog, at every depth;
 * custom resources against their CRD's structural schema (the fields pruning would drop) and their
 * metadata against ObjectMeta's. Patches: merge and strategic-merge patch documents are checked as
 * the object they describe (ignoring {@code $patch}-style directives); JSON patches are not checked.
 */
final class FieldValidation {
    enum Mode { Ignore, Warn, Strict }

    private static final JsonFactory JSON = new JsonFactory();
    private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private FieldValidation() {
    }

    static Mode mode(String value) {
        if (value == null || value.isEmpty()) {
            return Mode.Ignore;
        }
        try {
            return Mode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw KubeApiException.of(Status.badRequest("fieldValidation: Unsupported value: \"" + value
                    + "\": supported values: \"Ignore\", \"Warn\", \"Strict\""));
        }
    }

    /** Unknown field paths of {@code body}, as kube-apiserver names them ({@code spec.containers[0].foo}). */
    static List<String> unknownFields(TypeRegistry registry, ResourceType<?> type, JsonNode body) {
        List<String> unknown = new ArrayList<>();
        if (!body.isObject()) {
            return unknown;
        }
        if (registry.isBuiltIn(type.groupResource())) {
            KubeApiCatalog.get().resource(type.group(), type.version(), type.plural())
                    .flatMap(r -> KubeApiCatalog.get().type(r.type()))
                    .ifPresent(schema -> walk(body, schema, "", unknown));
            return unknown;
        }
        KubeApiCatalog.get().type(OBJECT_META).ifPresent(meta -> {
            JsonNode m = body.get("metadata");
            if (m != null && m.isObject()) {
                walk(m, meta, "metadata", unknown);
            }
        });
        registry.customSchema(type).ifPresent(schema -> unknown.addAll(SchemaPruner.unknownFields(body, schema)));
        return unknown;
    }

    private static void walk(JsonNode object, TypeSchema schema, String path, List<String> unknown) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String at = path.isEmpty() ? name : path + "." + name;
            FieldSchema f = schema.fields().get(name);
            if (f == null) {
                if (!name.startsWith("$")) { // strategic-merge-patch directives ($patch, $setElementOrder/...)
                    unknown.add(at);
                }
                continue;
            }
            if (f.type() != FieldType.OBJECT || f.ref() == null) {
                continue;
            }
            TypeSchema nested = KubeApiCatalog.get().type(f.ref()).orElse(null);
            if (nested == null) {
                continue;
            }
            JsonNode value = e.getValue();
            if (f.array() && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    if (value.get(i).isObject()) {
                        walk(value.get(i), nested, at + "[" + i + "]", unknown);
                    }
                }
            } else if (f.map() && value.isObject()) {
                value.fields().forEachRemaining(v -> {
                    if (v.getValue().isObject()) {
                        walk(v.getValue(), nested, at + "." + v.getKey(), unknown);
                    }
                });
            } else if (value.isObject()) {
                walk(value, nested, at, unknown);
            }
        }
    }

    /** Paths of the fields a JSON document names twice in one object, in document order. */
    static List<String> duplicateFields(byte[] json) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            Deque<Set<String>> seen = new ArrayDeque<>();
            Deque<String> paths = new ArrayDeque<>();
            Deque<int[]> arrayIndexes = new ArrayDeque<>();
            String field = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        String here = childPath(paths, arrayIndexes, field);
                        paths.push(here);
                        if (t == JsonToken.START_OBJECT) {
                            seen.push(new HashSet<>());
                            arrayIndexes.push(new int[] {-1});
                        } else {
                            seen.push(Set.of());
                            arrayIndexes.push(new int[] {0});
                        }
                        field = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        seen.pop();
                        paths.pop();
                        arrayIndexes.pop();
                        if (!arrayIndexes.isEmpty() && arrayIndexes.peek()[0] >= 0) {
                            arrayIndexes.peek()[0]++;
                        }
                        field = null;
                    }
                    case FIELD_NAME -> {
                        field = p.currentName();
                        if (!seen.peek().add(field)) {
                            String parent = paths.peek();
                            out.add(parent.isEmpty() ? field : parent + "." + field);
                        }
                    }
                    default -> {
                        if (!arrayIndexes.isEmpty() && arrayIndexes.peek()[0] >= 0) {
                            arrayIndexes.peek()[0]++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return out; // malformed JSON: the decoder reports it
        }
        return out;
    }

    private static String childPath(Deque<String> paths, Deque<int[]> arrayIndexes, String field) {
        if (paths.isEmpty()) {
            return "";
        }
        String parent = paths.peek();
        int index = arrayIndexes.peek()[0];
        if (index >= 0) {
            return parent + "[" + index + "]";
        }
        return parent.isEmpty() ? field : parent + "." + field;
    }

    /**
     * Applies the mode to the unknown and duplicate fields found: throws 400 for Strict, returns
     * the warning texts for Warn, nothing for Ignore.
     */
    static List<String> check(Mode mode, List<String> unknown, List<String> duplicates) {
        if (mode == Mode.Ignore || (unknown.isEmpty() && duplicates.isEmpty())) {
            return List.of();
        }
        List<String> messages = new ArrayList<>();
        unknown.forEach(f -> messages.add("unknown field \"" + f + "\""));
        duplicates.forEach(f -> messages.add("duplicate field \"" + f + "\""));
        if (mode == Mode.Strict) {
            throw KubeApiException.of(Status.badRequest("strict decoding error: " + String.join(", ", messages)));
        }
        return messages;
    }
}
