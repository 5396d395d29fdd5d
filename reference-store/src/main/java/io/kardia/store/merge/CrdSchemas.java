package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Schemas of custom resources, from their CRD's structural {@code openAPIV3Schema}:
 * {@code properties} are declared fields, {@code additionalProperties} a map's values,
 * {@code x-kubernetes-list-type} (atomic by default), {@code x-kubernetes-list-map-keys} (with a
 * key field's {@code default} for items that leave it out) and {@code x-kubernetes-map-type}
 * decide how lists and maps merge; {@code x-kubernetes-preserve-unknown-fields} leaves undeclared
 * fields untyped. {@code metadata} is ObjectMeta, as for every kind.
 */
public final class CrdSchemas {
    private CrdSchemas() {
    }

    /** The root schema of a custom resource (null schema: everything but metadata untyped). */
    public static Schema root(JsonNode openApiV3Schema) {
        return new Node(openApiV3Schema == null ? null : openApiV3Schema, true);
    }

    private record Node(JsonNode s, boolean root) implements Schema {
        @Override
        public Kind kind() {
            if (s == null) {
                return root ? Kind.STRUCT : Kind.UNTYPED;
            }
            if (s.path("x-kubernetes-int-or-string").asBoolean(false)) {
                return Kind.SCALAR;
            }
            String type = s.path("type").asText("");
            return switch (type) {
                case "object" -> s.has("properties") || root || s.path("x-kubernetes-embedded-resource").asBoolean(false)
                        ? Kind.STRUCT : s.has("additionalProperties") ? Kind.MAP : Kind.UNTYPED;
                case "array" -> Kind.LIST;
                case "" -> root ? Kind.STRUCT : Kind.UNTYPED;
                default -> Kind.SCALAR;
            };
        }

        @Override
        public Scalar scalar() {
            if (s == null || s.path("x-kubernetes-int-or-string").asBoolean(false)) {
                return Scalar.UNTYPED;
            }
            return switch (s.path("type").asText("")) {
                case "string" -> Scalar.STRING;
                case "integer", "number" -> Scalar.NUMERIC;
                case "boolean" -> Scalar.BOOLEAN;
                default -> Scalar.UNTYPED;
            };
        }

        @Override
        public boolean closed() {
            return s != null && kind() == Kind.STRUCT && !s.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                    && !s.path("additionalProperties").isObject();
        }

        private boolean embedsObjectMeta() {
            return root || (s != null && s.path("x-kubernetes-embedded-resource").asBoolean(false));
        }

        @Override
        public boolean declares(String name) {
            if (embedsObjectMeta() && (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata"))) {
                return true;
            }
            return s != null && s.path("properties").has(name);
        }

        @Override
        public Schema field(String name) {
            if (embedsObjectMeta()) {
                if (name.equals("metadata")) {
                    return BuiltInSchemas.objectMeta();
                }
                if (name.equals("apiVersion") || name.equals("kind")) {
                    return STRING;
                }
            }
            if (s == null) {
                return UNTYPED;
            }
            JsonNode p = s.path("properties").get(name);
            if (p != null) {
                return new Node(p, false);
            }
            JsonNode ap = s.get("additionalProperties");
            if (ap != null && ap.isObject()) {
                return new Node(ap, false);
            }
            return UNTYPED;
        }

        @Override
        public boolean atomic() {
            if (s == null) {
                return false;
            }
            if (kind() == Kind.LIST) {
                return listType() == ListType.ATOMIC;
            }
            return "atomic".equals(s.path("x-kubernetes-map-type").asText(""));
        }

        @Override
        public Schema element() {
            JsonNode items = s == null ? null : s.get("items");
            return items == null || !items.isObject() ? UNTYPED : new Node(items, false);
        }

        @Override
        public ListType listType() {
            return switch (s == null ? "" : s.path("x-kubernetes-list-type").asText("")) {
                case "set" -> ListType.SET;
                case "map" -> ListType.MAP;
                default -> ListType.ATOMIC;
            };
        }

        @Override
        public List<String> keys() {
            List<String> keys = new ArrayList<>();
            if (s != null) {
                s.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
            }
            return keys;
        }

        @Override
        public JsonNode keyDefault(String key) {
            JsonNode d = s == null ? null : s.path("items").path("properties").path(key).get("default");
            return d == null || d.isNull() ? null : d;
        }
    }
}
