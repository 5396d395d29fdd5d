package io.kardia.store.merge;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What server-side apply needs to know of a type at one point of an object: whether it is a
 * scalar, a struct (declared fields), a map (any keys), a list (atomic, set, or map keyed by some
 * of its items' fields), or untyped (structured-merge-diff's "deduced" type: objects are granular
 * maps, lists atomic). Built-in kinds read it from the catalog ({@link BuiltInSchemas}), custom
 * resources from their CRD's structural schema ({@link CrdSchemas}).
 */
public interface Schema {
    enum Kind { SCALAR, STRUCT, MAP, LIST, UNTYPED }

    enum ListType { ATOMIC, SET, MAP }

    /** structured-merge-diff's scalar types: which values a SCALAR takes. */
    enum Scalar { NUMERIC, STRING, BOOLEAN, UNTYPED }

    Kind kind();

    /** STRUCT: the declared field's schema, else the schema of undeclared fields (null: not allowed). MAP: the values' schema. */
    default Schema field(String name) {
        return UNTYPED;
    }

    /** SCALAR: the values it takes (untyped: any scalar, as int-or-string). */
    default Scalar scalar() {
        return Scalar.UNTYPED;
    }

    /**
     * STRUCT: whether fields it does not declare are refused (structured-merge-diff's "field not
     * declared in schema"); false where undeclared fields are kept (preserve-unknown-fields).
     */
    default boolean closed() {
        return false;
    }

    /** STRUCT: whether {@code name} is a declared field (its entry is not owned as a whole). */
    default boolean declares(String name) {
        return false;
    }

    /** STRUCT and MAP: {@code x-kubernetes-map-type: atomic} (or a built-in {@code +structType=atomic}); LIST: atomic lists. */
    default boolean atomic() {
        return false;
    }

    /** LIST: the items' schema. */
    default Schema element() {
        return UNTYPED;
    }

    default ListType listType() {
        return ListType.ATOMIC;
    }

    /** LIST of type MAP: the key fields. */
    default List<String> keys() {
        return List.of();
    }

    /** LIST of type MAP: the default of a key field an item may leave out (null: none, the item is invalid). */
    default JsonNode keyDefault(String key) {
        return null;
    }

    /** An untyped scalar. */
    Schema SCALAR = () -> Kind.SCALAR;

    Schema STRING = scalar(Scalar.STRING);

    Schema NUMERIC = scalar(Scalar.NUMERIC);

    Schema BOOLEAN = scalar(Scalar.BOOLEAN);

    private static Schema scalar(Scalar type) {
        return new Schema() {
            @Override
            public Kind kind() {
                return Kind.SCALAR;
            }

            @Override
            public Scalar scalar() {
                return type;
            }
        };
    }

    Schema UNTYPED = () -> Kind.UNTYPED;

    /** The schema that applies to {@code value}: untyped objects are maps of untyped values, untyped lists atomic. */
    static Schema resolve(Schema s, JsonNode value) {
        if (s == null) {
            s = UNTYPED;
        }
        if (s.kind() != Kind.UNTYPED) {
            return s;
        }
        if (value != null && value.isObject()) {
            return UNTYPED_MAP;
        }
        if (value != null && value.isArray()) {
            return UNTYPED_LIST;
        }
        return SCALAR;
    }

    Schema UNTYPED_MAP = new Schema() {
        @Override
        public Kind kind() {
            return Kind.MAP;
        }
    };

    Schema UNTYPED_LIST = new Schema() {
        @Override
        public Kind kind() {
            return Kind.LIST;
        }

        @Override
        public boolean atomic() {
            return true;
        }
    };
}
