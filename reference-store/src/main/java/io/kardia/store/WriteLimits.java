package io.kardia.store;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import io.kardia.core.json.Json;
import io.kardia.core.model.Status;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;

/**
 * The limits every object the store acknowledges keeps, on every write path that adds content
 * (create, update, status, every patch type, bind; deletions add nothing and are exempt, so an
 * object from an older version can always be deleted). They are derived from the limits of the decoder
 * that reads objects back (journal recovery, HTTP clients, informers; {@link Json}), with headroom
 * for the envelopes objects travel in: a list adds two levels of nesting ({@code {"items":[...]}}),
 * a watch event one, a Table row three. So whatever the store accepted, its own recovery and its
 * clients can decode.
 *
 * @param maxDepth            objects and arrays nested at most this deep (the object itself is level 1)
 * @param maxStringLength     characters per string value
 * @param maxFieldNameLength  characters per field name
 * @param maxFieldsPerObject  fields per JSON object (map), at any level
 * @param maxNumberLength     characters of a number's text
 */
public record WriteLimits(int maxDepth, int maxStringLength, int maxFieldNameLength, int maxFieldsPerObject,
                          int maxNumberLength) {
    /** Levels kept free for list, watch and Table envelopes around a stored object. */
    public static final int ENVELOPE_HEADROOM = 4;
    /** Not a decoder limit: bounds the per-object work of validation and strategic merges. */
    public static final int MAX_FIELDS_PER_OBJECT = 10_000;

    private static final WriteLimits DEFAULT = fromDecoder(Json.mapper().getFactory().streamReadConstraints());

    /** The store's limits: those of {@link Json}'s decoder, less the envelope headroom for nesting. */
    public static WriteLimits defaults() {
        return DEFAULT;
    }

    static WriteLimits fromDecoder(StreamReadConstraints c) {
        return new WriteLimits(c.getMaxNestingDepth() - ENVELOPE_HEADROOM, c.getMaxStringLength(),
                c.getMaxNameLength(), MAX_FIELDS_PER_OBJECT, c.getMaxNumberLength());
    }

    /**
     * The first limit {@code tree} breaks, as a cause worded like Kubernetes' field errors, or null.
     * Walks at most {@code maxDepth + 1} levels deep, so an over-deep tree costs no deep recursion.
     */
    public Status.Cause firstViolation(JsonNode tree) {
        Deque<String> path = new ArrayDeque<>();
        return check(tree, 1, path);
    }

    private Status.Cause check(JsonNode n, int depth, Deque<String> path) {
        if (n.isContainerNode() && depth > maxDepth) {
            return new Status.Cause("FieldValueInvalid", "Invalid value: nested deeper than the limit of " + maxDepth
                    + " levels", fieldPath(path));
        }
        if (n.isObject()) {
            if (n.size() > maxFieldsPerObject) {
                return new Status.Cause("FieldValueTooMany", "Too many: " + n.size() + ": must have at most "
                        + maxFieldsPerObject + " fields", fieldPath(path));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().length() > maxFieldNameLength) {
                    return new Status.Cause("FieldValueTooLong", "Too long: field name may not be more than "
                            + maxFieldNameLength + " characters", fieldPath(path));
                }
                path.addLast(e.getKey());
                Status.Cause c = check(e.getValue(), depth + 1, path);
                path.removeLast();
                if (c != null) {
                    return c;
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                path.addLast("[" + i + "]");
                Status.Cause c = check(n.get(i), depth + 1, path);
                path.removeLast();
                if (c != null) {
                    return c;
                }
            }
        } else if (n.isTextual()) {
            if (n.textValue().length() > maxStringLength) {
                return new Status.Cause("FieldValueTooLong", "Too long: may not be more than " + maxStringLength
                        + " characters", fieldPath(path));
            }
        } else if (n.isFloatingPointNumber() && !Double.isFinite(n.doubleValue()) && !n.isBigDecimal()) {
            return new Status.Cause("FieldValueInvalid", "Invalid value: " + n.doubleValue()
                    + ": not a JSON number", fieldPath(path));
        } else if ((n.isBigInteger() || n.isBigDecimal()) && n.asText().length() > maxNumberLength) {
            return new Status.Cause("FieldValueTooLong", "Too long: a number may not be more than " + maxNumberLength
                    + " characters", fieldPath(path));
        }
        return null;
    }

    /** Kubernetes' field path notation, shortened in the middle when very deep. */
    private static String fieldPath(Deque<String> path) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        int size = path.size();
        for (String p : path) {
            if (size > 12 && i == 6) {
                sb.append(".(").append(size - 12).append(" more)");
            }
            if (size <= 12 || i < 6 || i >= size - 6) {
                if (!p.startsWith("[") && sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(p);
            }
            i++;
        }
        return sb.length() == 0 ? "<root>" : sb.toString();
    }
}
