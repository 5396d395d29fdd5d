package io.kardia.core.json;

import com.google.common.collect.MapMaker;
import io.kardia.core.model.Frozen;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Fields a custom resource's records do not declare, kept with the decoded object so that writing
 * it back does not lose them: an operator built against an older {@code BackupSpec} must not
 * erase a field a newer version of the CRD added. The records stay plain (no {@code extra}
 * component): the fields are held beside each decoded record, keyed by identity and released
 * with it, and written out again by {@link Json}'s encoder. Copies made with
 * {@link io.kardia.core.crd.CustomResource#withMetadata}, the generated withers and builders
 * carry them over ({@link #carry}); a record built with its constructor starts without any.
 *
 * <p>Applies to the records reachable from a {@link io.kardia.core.crd.CustomResource} class
 * (its spec, status and the records inside them), registered when the kind is first used.
 */
public final class UnknownFields {
    private static final ConcurrentMap<Object, Map<String, Object>> BY_OBJECT = new MapMaker().weakKeys().makeMap();
    private static final Set<Class<?>> RETAINING = ConcurrentHashMap.newKeySet();

    private UnknownFields() {
    }

    /** The undeclared fields {@code record} was decoded with; empty if none. */
    public static Map<String, Object> of(Object record) {
        Map<String, Object> fields = record == null ? null : BY_OBJECT.get(record);
        return fields == null ? Map.of() : fields;
    }

    /** Gives {@code copy} the undeclared fields of {@code original} (same class only); returns {@code copy}. */
    public static <T> T carry(Object original, T copy) {
        if (original != null && copy != null && original != copy && original.getClass() == copy.getClass()) {
            Map<String, Object> fields = BY_OBJECT.get(original);
            if (fields != null) {
                BY_OBJECT.put(copy, fields);
            }
        }
        return copy;
    }

    static void remember(Object record, Map<String, Object> fields) {
        if (record != null && !fields.isEmpty()) {
            BY_OBJECT.put(record, Frozen.tree(fields));
        }
    }

    /** Whether records of this class keep their undeclared fields. */
    static boolean retains(Class<?> type) {
        return RETAINING.contains(type);
    }

    /**
     * Makes the records of a custom resource class keep undeclared fields: the class itself and every
     * record reachable through its components (lists, sets and map values included). Idempotent.
     */
    public static void retainIn(Class<?> customResource) {
        walk(customResource);
    }

    private static void walk(Type type) {
        if (type instanceof Class<?> c) {
            if (c.isRecord() && !c.getPackageName().equals("io.kardia.core.model") && !declaresOwnExtra(c)
                    && RETAINING.add(c)) {
                for (RecordComponent component : c.getRecordComponents()) {
                    walk(component.getGenericType());
                }
            }
        } else if (type instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                walk(arg);
            }
        } else if (type instanceof WildcardType w) {
            for (Type bound : w.getUpperBounds()) {
                walk(bound);
            }
        }
    }

    /** Records with a {@code @JsonAnySetter} component keep unknown fields themselves. */
    static boolean declaresOwnExtra(Class<?> record) {
        for (RecordComponent component : record.getRecordComponents()) {
            try {
                if (record.getDeclaredField(component.getName())
                        .isAnnotationPresent(com.fasterxml.jackson.annotation.JsonAnySetter.class)) {
                    return true;
                }
            } catch (NoSuchFieldException e) {
                return false;
            }
        }
        return false;
    }
}
