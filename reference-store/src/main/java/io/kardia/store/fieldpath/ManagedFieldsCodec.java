package io.kardia.store.fieldpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and writes {@code metadata.managedFields} in kube-apiserver's format: {@code fieldsType:
 * FieldsV1}, entries sorted by operation (Apply first), time, manager, apiVersion and subresource.
 */
public final class ManagedFieldsCodec {
    public static final String FIELDS_TYPE = "FieldsV1";
    /**
     * Paths deeper than this are owned through their ancestor at this depth, so that managedFields
     * (four levels below the object's root) never nest deeper than the object itself may.
     */
    public static final int MAX_PATH_DEPTH = 88;

    private static final Comparator<ManagedFieldsEntry> ORDER = Comparator
            .comparing(ManagedFieldsEntry::operation)
            .thenComparing(e -> e.time() == null ? "" : e.time())
            .thenComparing(ManagedFieldsEntry::manager)
            .thenComparing(e -> e.apiVersion() == null ? "" : e.apiVersion())
            .thenComparing(ManagedFieldsEntry::subresource);

    private ManagedFieldsCodec() {
    }

    /**
     * Decodes a {@code managedFields} list (null or missing: none).
     *
     * @throws IllegalArgumentException when an entry is malformed (kube-apiserver then ignores the whole list)
     */
    public static List<ManagedFieldsEntry> decode(JsonNode list) {
        List<ManagedFieldsEntry> out = new ArrayList<>();
        if (list == null || list.isNull() || list.isMissingNode()) {
            return out;
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("managedFields must be a list");
        }
        Set<ManagedFieldsEntry.ManagerKey> seen = new HashSet<>();
        int i = 0;
        for (JsonNode e : list) {
            String where = "managedFields[" + i++ + "]";
            if (!e.isObject()) {
                throw new IllegalArgumentException(where + " must be an object");
            }
            String fieldsType = text(e, "fieldsType", where);
            if (!FIELDS_TYPE.equals(fieldsType)) {
                throw new IllegalArgumentException(where + ": invalid fieldsType \"" + fieldsType + "\": expected FieldsV1");
            }
            String operation = text(e, "operation", where);
            if (!ManagedFieldsEntry.APPLY.equals(operation) && !ManagedFieldsEntry.UPDATE.equals(operation)) {
                throw new IllegalArgumentException(where + ": invalid operation \"" + operation + "\": expected Apply or Update");
            }
            FieldSet fields;
            try {
                fields = FieldsV1.decode(e.get("fieldsV1"));
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage());
            }
            ManagedFieldsEntry entry = new ManagedFieldsEntry(text(e, "manager", where), operation, text(e, "apiVersion", where),
                    text(e, "time", where), text(e, "subresource", where), fields);
            if (!seen.add(entry.key())) {
                throw new IllegalArgumentException(where + ": duplicate entry for manager \"" + entry.manager() + "\"");
            }
            out.add(entry);
        }
        return out;
    }

    /**
     * Why an object's {@code metadata.managedFields} cannot be read (kube-apiserver then ignores
     * them), or null when they are well-formed, absent, or the reset form {@code [{}]}.
     */
    public static String problem(JsonNode object) {
        JsonNode sent = object == null ? null : object.path("metadata").get("managedFields");
        if (sent == null || isReset(sent)) {
            return null;
        }
        try {
            decode(sent);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** {@code [{}]}: kube-apiserver's way to strip managed fields (an empty list is ignored, by design). */
    public static boolean isReset(JsonNode sent) {
        return sent != null && sent.isArray() && sent.size() == 1 && sent.get(0).isObject() && sent.get(0).isEmpty();
    }

    private static String text(JsonNode e, String field, String where) {
        JsonNode v = e.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(where + "." + field + " must be a string");
        }
        return v.textValue();
    }

    /** The JSON list, sorted as kube-apiserver sorts it; entries with no fields are left out. */
    public static ArrayNode encode(List<ManagedFieldsEntry> entries) {
        return encode(entries, e -> null);
    }

    /**
     * As {@link #encode(List)}, but the owned fields of an entry for which {@code knownFields} gives
     * JSON (their FieldsV1 from before, the same set since) are that JSON rather than encoded again:
     * the node itself, shared, not a copy, so it must be JSON no one changes (a stored version's).
     */
    public static ArrayNode encode(List<ManagedFieldsEntry> entries, Function<FieldSet, JsonNode> knownFields) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        entries.stream().filter(e -> !e.fields().isEmpty()).sorted(ORDER).forEach(e -> {
            ObjectNode o = out.addObject();
            o.put("manager", e.manager());
            o.put("operation", e.operation());
            if (e.apiVersion() != null) {
                o.put("apiVersion", e.apiVersion());
            }
            if (e.time() != null) {
                o.put("time", e.time());
            }
            o.put("fieldsType", FIELDS_TYPE);
            JsonNode known = knownFields.apply(e.fields());
            o.set("fieldsV1", known != null ? known : FieldsV1.encode(e.fields().truncated(MAX_PATH_DEPTH)));
            if (!e.subresource().isEmpty()) {
                o.put("subresource", e.subresource());
            }
        });
        return out;
    }
}
