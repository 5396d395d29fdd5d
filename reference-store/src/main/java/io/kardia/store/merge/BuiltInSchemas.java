package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.kubeapi.FieldSchema;
import io.kardia.kubeapi.FieldType;
import io.kardia.kubeapi.KubeApiCatalog;
import io.kardia.kubeapi.MergeMarkers;
import io.kardia.kubeapi.TypeSchema;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Schemas of the built-in kinds: fields and types from the catalog's {@code types.json}, with the
 * release's merge markers the catalog generator reads from the Kubernetes Java client's published
 * protobuf sources ({@code +listType}, {@code +listMapKey}, {@code +mapType}, {@code +structType},
 * {@code +patchStrategy}, {@code +patchMergeKey}, {@code +default}). Lists resolve as
 * kube-apiserver's OpenAPI-to-structured-merge-diff conversion resolves them: the list type first;
 * without one, a {@code merge} patch strategy makes the list associative (keyed by its merge key, or
 * a set); anything else is atomic.
 */
public final class BuiltInSchemas {
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    private static final Map<String, Schema> CACHE = new ConcurrentHashMap<>();

    private BuiltInSchemas() {
    }

    /** The schema of a kind's object (its full protobuf type name, e.g. {@code k8s.io.api.apps.v1.Deployment}). */
    public static Optional<Schema> forType(String protoName) {
        if (KubeApiCatalog.get().type(protoName).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(struct(protoName));
    }

    /** ObjectMeta's schema (custom resources use it for their metadata). */
    public static Schema objectMeta() {
        return struct(META + "ObjectMeta");
    }

    static Schema struct(String protoName) {
        return CACHE.computeIfAbsent(protoName, n -> new StructSchema(n, null));
    }

    /** A struct as one field declares it: its {@code +structType} on the field overrides the type's own. */
    private static Schema struct(String protoName, String fieldStructType) {
        if (fieldStructType == null) {
            return struct(protoName);
        }
        return CACHE.computeIfAbsent(protoName + "#" + fieldStructType, n -> new StructSchema(protoName, fieldStructType));
    }

    /** A struct of the catalog; its fields' schemas are resolved once (identity equality: types can be recursive). */
    private static final class StructSchema implements Schema {
        private final String name;
        /** The field's {@code +structType}, or null: the type's own decides. */
        private final String structType;
        private final Map<String, Optional<Schema>> fieldSchemas = new ConcurrentHashMap<>();

        StructSchema(String name, String structType) {
            this.name = name;
            this.structType = structType;
        }

        private TypeSchema type() {
            return KubeApiCatalog.get().type(name).orElseThrow();
        }

        @Override
        public Kind kind() {
            return Kind.STRUCT;
        }

        @Override
        public boolean atomic() {
            return structType != null ? structType.equals("atomic") : type().atomic();
        }

        @Override
        public boolean declares(String field) {
            return type().fields().containsKey(field);
        }

        @Override
        public boolean closed() {
            return true;
        }

        @Override
        public Schema field(String fieldName) {
            return fieldSchemas.computeIfAbsent(fieldName, n -> Optional.ofNullable(resolveField(n))).orElse(null);
        }

        private Schema resolveField(String fieldName) {
            FieldSchema f = type().fields().get(fieldName);
            if (f == null) {
                return null;
            }
            if (f.array()) {
                return list(valueSchema(f), f);
            }
            if (f.map()) {
                return new MapSchema(valueSchema(f), "atomic".equals(f.merge().mapType()));
            }
            if (f.type() == FieldType.OBJECT && f.ref() != null) {
                return struct(f.ref(), f.merge().mapType());
            }
            return valueSchema(f);
        }

        /** kube-openapi's {@code getListElementRelationship}: the list type, else a merge patch strategy, else atomic. */
        private static Schema list(Schema element, FieldSchema f) {
            MergeMarkers m = f.merge();
            if (m.listType() != null) {
                return switch (m.listType()) {
                    case "set" -> new ListSchema(element, ListType.SET, List.of(), null);
                    case "map" -> new ListSchema(element, ListType.MAP, m.listMapKeys(), f.ref());
                    default -> new ListSchema(element, ListType.ATOMIC, List.of(), null);
                };
            }
            if ("merge".equals(m.patchStrategy()) || "merge,retainKeys".equals(m.patchStrategy())) {
                return m.patchMergeKey() == null
                        ? new ListSchema(element, ListType.SET, List.of(), null)
                        : new ListSchema(element, ListType.MAP, List.of(m.patchMergeKey()), f.ref());
            }
            return new ListSchema(element, ListType.ATOMIC, List.of(), null);
        }

        private static Schema valueSchema(FieldSchema f) {
            if (f.type() == FieldType.OBJECT && f.ref() != null) {
                return struct(f.ref());
            }
            return switch (f.type()) {
                case STRING_LIST -> new ListSchema(STRING, ListType.ATOMIC, List.of(), null);
                case OBJECT, FREE_OBJECT, ANY -> UNTYPED;
                case STRING, BYTES, DATE_TIME, MICRO_TIME, DURATION -> STRING;
                case INTEGER, NUMBER -> NUMERIC;
                case BOOLEAN -> BOOLEAN;
                case QUANTITY, INT_OR_STRING -> SCALAR; // a string or a number
            };
        }
    }

    record MapSchema(Schema values, boolean atomic) implements Schema {
        @Override
        public Kind kind() {
            return Kind.MAP;
        }

        @Override
        public Schema field(String name) {
            return values;
        }
    }

    record ListSchema(Schema element, ListType listType, List<String> keys, String itemType) implements Schema {
        @Override
        public Kind kind() {
            return Kind.LIST;
        }

        @Override
        public boolean atomic() {
            return listType == ListType.ATOMIC;
        }

        @Override
        public JsonNode keyDefault(String key) {
            if (itemType == null) {
                return null;
            }
            return KubeApiCatalog.get().type(itemType).map(t -> t.fields().get(key)).map(FieldSchema::defaultValue).orElse(null);
        }
    }
}
